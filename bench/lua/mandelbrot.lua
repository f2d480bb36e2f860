-- Mandelbrot set membership on an n x n grid (tests/programs/mandelbrot.py).
local MAX_ITER = 50

local function main(n)
  local inside, checksum = 0, 0
  for y = 0, n - 1 do
    local ci = 3.0 * y / n - 1.5
    for x = 0, n - 1 do
      local cr = 3.0 * x / n - 2.0
      local zr, zi, it = 0.0, 0.0, 0
      while it < MAX_ITER do
        local zr2, zi2 = zr * zr, zi * zi
        if zr2 + zi2 > 4.0 then break end
        zi = 2.0 * zr * zi + ci
        zr = zr2 - zi2 + cr
        it = it + 1
      end
      if it == MAX_ITER then inside = inside + 1 end
      checksum = (checksum * 31 + it) % 1000000007
    end
  end
  return {inside, checksum}
end
return main
