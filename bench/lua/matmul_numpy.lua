-- Triple-loop matrix multiply (tests/programs/matmul_numpy.py); matrices are flat
-- 0-based row-major tables (Lua has no numpy).
local function fill(n, seed)
  local m = {}
  for i = 0, n - 1 do
    for j = 0, n - 1 do m[i * n + j] = ((i * 7 + j * 13 + seed) % 17) / 8.0 - 1.0 end
  end
  return m
end

local function matmul(a, b, n)
  local c = {}
  for i = 0, n - 1 do
    for j = 0, n - 1 do
      local s = 0.0
      for p = 0, n - 1 do s = s + a[i * n + p] * b[p * n + j] end
      c[i * n + j] = s
    end
  end
  return c
end

local function main(n)
  local c = matmul(fill(n, 1), fill(n, 5), n)
  local trace = 0.0
  for i = 0, n - 1 do trace = trace + c[i * n + i] end
  local checksum = 0.0
  for i = 0, n - 1 do
    for j = 0, n - 1 do checksum = checksum + c[i * n + j] * (1 + (i + j) % 3) end
  end
  return {trace, checksum}
end
return main
