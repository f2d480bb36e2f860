-- Runs one LuaJIT benchmark program and prints its result and times as one JSON line.
--
--   luajit bench/lua/run.lua NAME N [REPEAT]
--
-- NAME.lua (beside this file) returns its main function; main(N) returns the result
-- as a Lua array in the order of the Python program's tuple (a number where the
-- program returns one). main(N) runs once
-- ("first") and REPEAT more times ("steady": the best; null when REPEAT is 0), timed
-- with CLOCK_MONOTONIC through the FFI. Prints
--   RESULT-JSON {"first": s, "steady": s|null, "result": [...]}
-- Numbers print exactly: integers below 2^53 as integers, other numbers with %.17g.
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("bench_timespec")

local function now()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
end

local function encode(v)
  local t = type(v)
  if t == "table" then
    local parts = {}
    for i = 1, #v do parts[i] = encode(v[i]) end
    return "[" .. table.concat(parts, ", ") .. "]"
  elseif t == "boolean" then
    return tostring(v)
  elseif v ~= v then
    return "NaN"
  elseif v == math.huge or v == -math.huge then
    return v > 0 and "Infinity" or "-Infinity"
  elseif v == math.floor(v) and math.abs(v) < 2^53 then
    return string.format("%d", v)
  end
  return string.format("%.17g", v)
end

local dir = arg[0]:match("^(.*)/[^/]*$") or "."
local name, n, repeat_ = arg[1], tonumber(arg[2]), tonumber(arg[3] or "0")
if not name or not n then
  io.stderr:write("usage: luajit run.lua NAME N [REPEAT]\n")
  os.exit(2)
end
local main = dofile(dir .. "/" .. name .. ".lua")

local start = now()
local result = main(n)
local first = now() - start
local steady = nil
for _ = 1, repeat_ do
  start = now()
  main(n)
  local t = now() - start
  if steady == nil or t < steady then steady = t end
end
print(string.format('RESULT-JSON {"first": %.9f, "steady": %s, "result": %s}', first,
                    steady and string.format("%.9f", steady) or "null", encode(result)))
