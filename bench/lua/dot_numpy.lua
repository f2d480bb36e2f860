-- Dot products, norms and axpy over float arrays (tests/programs/dot_numpy.py); 0-based.
local function main(n)
  local a, b = {}, {}
  for i = 0, n - 1 do
    a[i] = (i % 13) * 0.25 - 1.5
    b[i] = 1.0 / (1 + i % 7)
  end
  local dot = 0.0
  for _ = 1, 5 do
    dot = 0.0
    local na = 0.0
    for i = 0, n - 1 do
      dot = dot + a[i] * b[i]
      na = na + a[i] * a[i]
    end
    local alpha = dot / (na + 1.0)
    for i = 0, n - 1 do b[i] = b[i] - alpha * a[i] end
  end
  local nb = 0.0
  for i = 0, n - 1 do nb = nb + b[i] * b[i] end
  return {dot, math.sqrt(nb), n - 1}
end
return main
