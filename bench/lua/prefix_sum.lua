-- Prefix sums, range queries and Kadane (tests/programs/prefix_sum.py); 0-based tables.
local function main(n)
  local a, x = {}, 7
  for i = 0, n - 1 do
    x = (x * 48271) % 2147483647
    a[i] = x % 201 - 100
  end
  local pre = {[0] = 0}
  for i = 0, n - 1 do pre[i + 1] = pre[i] + a[i] end
  local qsum = 0
  for q = 0, n - 1 do
    local lo, hi = (q * 7919) % n, (q * 104729) % n
    if lo > hi then lo, hi = hi, lo end
    qsum = qsum + pre[hi + 1] - pre[lo]
  end
  local best, cur = a[0], 0
  for i = 0, n - 1 do
    cur = math.max(a[i], cur + a[i])
    if cur > best then best = cur end
  end
  return {pre[n], qsum, best}
end
return main
