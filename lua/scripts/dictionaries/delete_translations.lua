-- dictionaries/delete_translations: unlinks pairs of entries; unknown links are fine.
--
-- KEYS[1]  the project's dictionary prefix, kvdb:dict:{project} (see lib/dictionaries)
-- ARGV     sextuples: from system, key, value, to system, key, value
-- Reply    how many links existed
-- @include lib/dictionaries
return each_group(1, 6, function(i)
  return unlink(KEYS[1], {ARGV[i], ARGV[i + 1], ARGV[i + 2]}, {ARGV[i + 3], ARGV[i + 4], ARGV[i + 5]})
end)
