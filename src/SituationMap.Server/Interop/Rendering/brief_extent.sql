-- Situation brief: the default map box, the extent of the account's districts (of all districts when unscoped).
-- Inputs: $1 district codes (text[], NULL = all). Output: minLon, minLat, maxLon, maxLat (WGS84), NULL without districts.
SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
FROM (SELECT ST_Extent(d.geom)::geometry AS e FROM districts d WHERE $1::text[] IS NULL OR d.code = ANY ($1)) x;
