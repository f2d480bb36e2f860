-- Primes below n by trial division (tests/programs/primes_trial.py).
local function main(n)
  local primes, count, total = {}, 0, 0
  for c = 2, n - 1 do
    local is_prime = true
    for k = 1, count do
      local p = primes[k]
      if p * p > c then break end
      if c % p == 0 then
        is_prime = false
        break
      end
    end
    if is_prime then
      count = count + 1
      primes[count] = c
      total = total + c
    end
  end
  return {count, total, primes[count]}
end
return main
