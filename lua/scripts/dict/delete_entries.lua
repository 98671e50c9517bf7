-- dict/delete_entries: deletes entries and every translation that involves them.
--
-- KEYS[1]  the project's dictionary prefix, kvdb:dict:{project} (see lib/dict)
-- ARGV     triples: system, key, value
-- Reply    how many existed
-- @include lib/dict
return each_group(1, 3, function(i)
  return remove_entry(KEYS[1], ARGV[i], ARGV[i + 1], ARGV[i + 2])
end)
