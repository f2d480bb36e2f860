-- Floyd-Warshall all-pairs shortest paths (tests/programs/floyd_warshall.py); rows are
-- 0-based tables, aliased like the program's lists.
local INF = 1000000000

local function main(n)
  local dist = {}
  for i = 0, n - 1 do
    local row = {}
    for j = 0, n - 1 do row[j] = INF end
    row[i] = 0
    dist[i] = row
  end
  for i = 0, n - 1 do
    for j = 0, n - 1 do
      local h = (i * 131 + j * 71 + i * j) % 97
      if i ~= j and h < 20 then dist[i][j] = 1 + h end
    end
  end
  for k = 0, n - 1 do
    local dk = dist[k]
    for i = 0, n - 1 do
      local di = dist[i]
      local dik = di[k]
      if dik ~= INF then
        for j = 0, n - 1 do
          local nd = dik + dk[j]
          if nd < di[j] then di[j] = nd end
        end
      end
    end
  end
  local total, unreachable, longest = 0, 0, 0
  for i = 0, n - 1 do
    for j = 0, n - 1 do
      local d = dist[i][j]
      if d == INF then
        unreachable = unreachable + 1
      else
        total = total + d
        longest = math.max(longest, d)
      end
    end
  end
  return {total, unreachable, longest}
end
return main
