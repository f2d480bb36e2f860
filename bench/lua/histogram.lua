-- Dice-sum histogram (tests/programs/histogram.py); x stays below 2^53, so doubles are exact.
local rshift = bit.rshift
local BUCKETS = 31

local function main(n)
  local hist = {}
  for k = 0, BUCKETS - 1 do hist[k] = 0 end
  local x = 99991
  for _ = 1, n do
    x = (x * 69069 + 1) % 4294967296
    local s = rshift(x, 8) % 11 + rshift(x, 15) % 11 + rshift(x, 22) % 11
    hist[s] = hist[s] + 1
  end
  local mode, mean_num, counts = 0, 0, {}
  for k = 0, BUCKETS - 1 do
    if hist[k] > hist[mode] then mode = k end
    mean_num = mean_num + k * hist[k]
    counts[k + 1] = hist[k]
  end
  return {counts, mode, mean_num / n}
end
return main
