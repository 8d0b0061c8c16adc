-- sm_camera_view(loc, kind, heading, fov, range_m, masks, presets): the ground area a camera looks at (display, tiles,
-- live events), with the same rules as the coverage analysis (SituationMap.Analysis CameraSpec):
--   fixed: one sector heading ± fov/2;
--   ptz, dome: the full circle, or with preset headings the union of one fov-wide sector per preset.
-- Each sector is geodesic (arc vertices every <= 5 degrees via ST_Project on the spheroid, the 5-argument
-- sm_camera_view of camera_view.sql); the privacy masks are cut out. IMMUTABLE: it backs the stored column
-- cameras.view_sector. Occlusion by buildings is not modelled here (see the coverage analysis and /api/coverage/views).
CREATE OR REPLACE FUNCTION sm_camera_view(
    loc geometry, kind text, heading double precision, fov double precision, range_m double precision, masks geometry,
    presets double precision[])
RETURNS geometry
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    parts geometry[] := ARRAY[]::geometry[];
    preset double precision;
    result geometry;
BEGIN
    IF loc IS NULL OR kind IS NULL THEN
        RETURN NULL;
    END IF;
    IF kind = 'fixed' THEN
        RETURN sm_camera_view(loc, heading, fov, range_m, masks);
    END IF;
    IF presets IS NULL OR cardinality(presets) = 0 THEN
        RETURN sm_camera_view(loc, 0, 360, range_m, masks);
    END IF;
    FOREACH preset IN ARRAY presets LOOP
        parts := parts || sm_camera_view(loc, preset, fov, range_m, NULL);
    END LOOP;
    result := ST_UnaryUnion(ST_Collect(parts));
    IF masks IS NOT NULL AND NOT ST_IsEmpty(masks) THEN
        result := ST_Difference(result, masks);
    END IF;
    RETURN ST_Multi(ST_CollectionExtract(result, 3));
END
$$;
