-- Square roots of 1..n by bisection (tests/programs/bisect_sqrt.py).
local function bisect_sqrt(x, tol)
  local lo, hi, steps = 0.0, math.max(1.0, x), 0
  while hi - lo > tol do
    local mid = (lo + hi) / 2
    if mid * mid < x then lo = mid else hi = mid end
    steps = steps + 1
  end
  return (lo + hi) / 2, steps
end

local function main(n)
  local total, max_err, steps = 0.0, 0.0, 0
  for k = 1, n do
    local r, s = bisect_sqrt(k, 1e-10)
    steps = steps + s
    total = total + r
    local err = math.abs(r - math.sqrt(k))
    if err > max_err then max_err = err end
  end
  return {total, max_err < 1e-9, steps, math.floor(total)}
end
return main
