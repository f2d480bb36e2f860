-- Monte Carlo pi with a Park-Miller generator (tests/programs/monte_carlo_pi.py);
-- seed * 16807 stays below 2^53, so doubles are exact.
local MODULUS = 2147483647
local seed = 1

local function rand()
  seed = (seed * 16807) % MODULUS
  return seed / MODULUS
end

local function main(n)
  seed = 20240601
  local hits = 0
  for _ = 1, n do
    local x = rand()
    local y = rand()
    if x * x + y * y <= 1.0 then hits = hits + 1 end
  end
  return {hits, 4.0 * hits / n, seed}
end
return main
