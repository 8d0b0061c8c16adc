-- sm_camera_view: the ground area a camera looks at (display, tiles, live events).
-- Inputs: loc Point SRID 4326; heading degrees clockwise from north; fov degrees (0, 360]; range_m metres;
--         masks MultiPolygon SRID 4326 or NULL (privacy masks).
-- Output: MultiPolygon SRID 4326 = geodesic sector (arc vertices every <= 5 degrees, via ST_Project on the spheroid)
--         minus the masks; a full circle when fov = 360. IMMUTABLE: it backs the stored column cameras.view_sector.
-- Occlusion by buildings is not modelled here (see the coverage analysis).
CREATE OR REPLACE FUNCTION sm_camera_view(
    loc geometry, heading double precision, fov double precision, range_m double precision, masks geometry)
RETURNS geometry
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    full_circle boolean := fov >= 360;
    span double precision := LEAST(fov, 360);
    start_az double precision := CASE WHEN fov >= 360 THEN 0 ELSE heading - fov / 2 END;
    steps integer := GREATEST(2, ceil(LEAST(fov, 360) / 5.0)::integer);
    points geometry[] := ARRAY[]::geometry[];
    sector geometry;
    result geometry;
BEGIN
    IF loc IS NULL OR heading IS NULL OR fov IS NULL OR range_m IS NULL OR range_m <= 0 OR fov <= 0 THEN
        RETURN NULL;
    END IF;
    IF NOT full_circle THEN
        points := points || loc;
    END IF;
    FOR i IN 0 .. (CASE WHEN full_circle THEN steps - 1 ELSE steps END) LOOP
        points := points || ST_Project(loc::geography, range_m, radians(start_az + span * i / steps))::geometry;
    END LOOP;
    points := points || points[1];
    sector := ST_SetSRID(ST_MakePolygon(ST_MakeLine(points)), 4326);
    result := CASE WHEN masks IS NULL OR ST_IsEmpty(masks) THEN sector ELSE ST_Difference(sector, masks) END;
    RETURN ST_Multi(ST_CollectionExtract(result, 3));
END
$$;
