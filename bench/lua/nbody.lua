-- N-body simulation of the Jovian planets (tests/programs/nbody.py); bodies are
-- 0-based arrays x, y, z, vx, vy, vz, mass; arithmetic in the program's order.
local sqrt = math.sqrt
local SOLAR_MASS = 39.47841760435743
local DAYS_PER_YEAR = 365.24
local PLANETS = {
  {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01, 1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05, 9.54791938424326609e-04},
  {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01, -2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05, 2.85885980666130812e-04},
  {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01, 2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05, 4.36624404335156298e-05},
  {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01, 2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05, 5.15138902046611451e-05},
}

local function make_bodies()
  local bodies = {[0] = {[0] = 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, SOLAR_MASS}}
  local px, py, pz = 0.0, 0.0, 0.0
  for k, p in ipairs(PLANETS) do
    local b = {[0] = p[1], p[2], p[3], p[4] * DAYS_PER_YEAR, p[5] * DAYS_PER_YEAR,
               p[6] * DAYS_PER_YEAR, p[7] * SOLAR_MASS}
    bodies[k] = b
    px = px + b[3] * b[6]
    py = py + b[4] * b[6]
    pz = pz + b[5] * b[6]
  end
  local sun = bodies[0]
  sun[3], sun[4], sun[5] = -px / SOLAR_MASS, -py / SOLAR_MASS, -pz / SOLAR_MASS
  return bodies, #PLANETS + 1
end

local function energy(bodies, nb)
  local e = 0.0
  for i = 0, nb - 1 do
    local bi = bodies[i]
    e = e + 0.5 * bi[6] * (bi[3] * bi[3] + bi[4] * bi[4] + bi[5] * bi[5])
    for j = i + 1, nb - 1 do
      local bj = bodies[j]
      local dx, dy, dz = bi[0] - bj[0], bi[1] - bj[1], bi[2] - bj[2]
      e = e - bi[6] * bj[6] / sqrt(dx * dx + dy * dy + dz * dz)
    end
  end
  return e
end

local function advance(bodies, nb, dt, steps)
  for _ = 1, steps do
    for i = 0, nb - 1 do
      local bi = bodies[i]
      for j = i + 1, nb - 1 do
        local bj = bodies[j]
        local dx, dy, dz = bi[0] - bj[0], bi[1] - bj[1], bi[2] - bj[2]
        local d2 = dx * dx + dy * dy + dz * dz
        local mag = dt / (d2 * sqrt(d2))
        local bim, bjm = bi[6] * mag, bj[6] * mag
        bi[3] = bi[3] - dx * bjm
        bi[4] = bi[4] - dy * bjm
        bi[5] = bi[5] - dz * bjm
        bj[3] = bj[3] + dx * bim
        bj[4] = bj[4] + dy * bim
        bj[5] = bj[5] + dz * bim
      end
    end
    for i = 0, nb - 1 do
      local b = bodies[i]
      b[0] = b[0] + dt * b[3]
      b[1] = b[1] + dt * b[4]
      b[2] = b[2] + dt * b[5]
    end
  end
end

local function main(n)
  local bodies, nb = make_bodies()
  local e0 = energy(bodies, nb)
  advance(bodies, nb, 0.01, n)
  return {e0, energy(bodies, nb)}
end
return main
