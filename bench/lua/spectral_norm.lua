-- Spectral norm by power iteration (tests/programs/spectral_norm.py); 0-based vectors.
local function eval_a(i, j)
  return 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1)   -- (i+j)(i+j+1) is even: exact
end

-- out = A v, or A^T v when transposed
local function mul_av(v, out, n, transposed)
  for i = 0, n - 1 do
    local s = 0.0
    for j = 0, n - 1 do
      s = s + (transposed and eval_a(j, i) or eval_a(i, j)) * v[j]
    end
    out[i] = s
  end
end

local function mul_atav(v, out, tmp, n)
  mul_av(v, tmp, n, false)
  mul_av(tmp, out, n, true)
end

local function main(n)
  local u, v, tmp = {}, {}, {}
  for i = 0, n - 1 do u[i], v[i], tmp[i] = 1.0, 0.0, 0.0 end
  for _ = 1, 10 do
    mul_atav(u, v, tmp, n)
    mul_atav(v, u, tmp, n)
  end
  local vbv, vv = 0.0, 0.0
  for i = 0, n - 1 do
    vbv = vbv + u[i] * v[i]
    vv = vv + v[i] * v[i]
  end
  return math.sqrt(vbv / vv)
end
return main
