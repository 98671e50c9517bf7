-- dictionaries/put_entries: adds entries; existing ones stay as they are.
--
-- KEYS[1]  the project's dictionary prefix, kvdb:dict:{project} (see lib/dictionaries)
-- ARGV     triples: system, key, value
-- Reply    how many were new
-- @include lib/dictionaries
return each_group(1, 3, function(i)
  return add_entry(KEYS[1], ARGV[i], ARGV[i + 1], ARGV[i + 2])
end)
