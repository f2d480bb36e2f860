-- Longest Collatz sequence below n (tests/programs/collatz.py); values exceed 2^32, so
-- parity and halving are arithmetic, not 32-bit bit operations.
local function collatz_len(x)
  local steps = 0
  while x ~= 1 do
    if x % 2 == 1 then x = 3 * x + 1 else x = x / 2 end
    steps = steps + 1
  end
  return steps
end

local function main(n)
  local best, best_len, total = 1, 0, 0
  for start = 1, n - 1 do
    local length = collatz_len(start)
    total = total + length
    if length > best_len then best_len, best = length, start end
  end
  return {best, best_len, total}
end
return main
