-- LCG + xorshift bit twiddling (tests/programs/lcg_bits.py). LuaJIT's bit operations
-- work on 32 bits and return signed results, so every result is taken mod 2^32;
-- acc may reach 2^32 + 5, whose high bits (acc >> 29) are computed arithmetically.
local band, bor, bxor, bnot = bit.band, bit.bor, bit.bxor, bit.bnot
local lshift, rshift = bit.lshift, bit.rshift
local M = 4294967296

local function popcount(x)
  local c = 0
  while x ~= 0 do
    x = band(x, x - 1) % M
    c = c + 1
  end
  return c
end

local function main(n)
  local state, acc, ones, odd = 2463534242, 0, 0, 0
  for i = 0, n - 1 do
    state = (state * 1664525 + 1013904223) % M
    local x = state
    x = bxor(x, lshift(x, 13)) % M
    x = bxor(x, rshift(x, 17)) % M
    x = bxor(x, lshift(x, 5)) % M
    acc = bxor(acc, x) % M + i % 7
    acc = bor(lshift(acc, 3), math.floor(acc / 2^29)) % M
    if math.floor(x / 2^31) % 2 == 1 then odd = odd + 1 end
    if i % 16 == 0 then ones = ones + popcount(x) end
  end
  return {acc, ones, odd, band(bnot(acc), 0xFF), math.floor(-acc / 2^40)}
end
return main
