-- test-scripts/read_other_slot: a script that strays out of its slot on purpose, for
-- CrossSlotGuardTest. It reads a key it derives with another hash tag than its declared key's.
--
-- KEYS[1]  any key, kvdb:test:{a} in the test
-- Reply    the value of kvdb:test:{b} (slot 3300), which a cluster refuses from slot 15495
return redis.call('GET', 'kvdb:test:{b}')
