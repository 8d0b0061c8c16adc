-- Appends a batch of unit positions and moves each unit to its newest position.
-- Inputs: $1 unit ids bigint[], $2 times timestamptz[], $3 longitudes float8[], $4 latitudes float8[] (WGS84, SRID 4326),
--         $5 speeds m/s float8[] (nullable elements), $6 headings degrees float8[] (nullable elements); arrays of equal length.
-- Output: one row, the number of units whose position moved (a position older than the unit's last_seen only extends
--         its track). The UPDATE fires sm_log_change, which logs 'moved' events. Index: patrol_units pkey;
--         unit_positions (unit_id, recorded_at).
WITH batch AS (
    SELECT u, t, ST_SetSRID(ST_MakePoint(x, y), 4326) AS g, s, h
    FROM unnest($1::bigint[], $2::timestamptz[], $3::float8[], $4::float8[], $5::float8[], $6::float8[]) AS p(u, t, x, y, s, h)
), track AS (
    INSERT INTO unit_positions (unit_id, recorded_at, geom, speed_mps, heading_deg, received_at)
    SELECT u, t, g, s, h, now() FROM batch
), newest AS (
    SELECT DISTINCT ON (u) u, t, g, s, h FROM batch ORDER BY u, t DESC
), moved AS (
    UPDATE patrol_units pu
    SET geom = newest.g, last_seen = newest.t, speed_mps = newest.s, heading_deg = newest.h
    FROM newest
    WHERE pu.id = newest.u AND (pu.last_seen IS NULL OR pu.last_seen < newest.t)
    RETURNING pu.id
)
SELECT count(*)::int FROM moved;
