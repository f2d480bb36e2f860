-- Sieve of Eratosthenes, three times (tests/programs/sieve.py); 0-based flags.
local function sieve(n)
  local flags = {}
  for k = 0, n - 1 do flags[k] = true end
  flags[0] = false
  if n > 1 then flags[1] = false end
  local i = 2
  while i * i < n do
    if flags[i] then
      for j = i * i, n - 1, i do flags[j] = false end
    end
    i = i + 1
  end
  local count, last = 0, 0
  for k = 0, n - 1 do
    if flags[k] then count, last = count + 1, k end
  end
  return count, last
end

local function main(n)
  local total, last = 0, 0
  for rep = 0, 2 do
    local c
    c, last = sieve(n - rep)
    total = total + c
  end
  return {total, last}
end
return main
