-- Leibniz series for pi (tests/programs/leibniz_pi.py).
local function main(n)
  local total, sign = 0.0, 1.0
  for k = 0, n - 1 do
    total = total + sign / (2 * k + 1)
    sign = -sign
  end
  local approx = 4.0 * total
  return {approx, math.abs(approx - math.pi)}
end
return main
