-- Zones as PostGIS geometry, for analysts to query in SQL (applied only
-- where the postgis extension is installed). truce itself classifies in Go
-- (package geo) from the zones' JSON; this table is derived from the same
-- JSON by a trigger, whatever code writes zones, and leaves with its zone
-- (a rebuild empties zones and so this table). It is not one of the
-- projections DumpProjections lists, so both stores dump the same rows.
CREATE TABLE zone_geometries (
	zone TEXT COLLATE "C" PRIMARY KEY REFERENCES zones (id) ON DELETE CASCADE,
	geom geometry(MultiPolygon, 4326) NOT NULL
);
CREATE INDEX zone_geometries_geom ON zone_geometries USING gist (geom);

-- truce.Zone's "geometry" is a GeoJSON MultiPolygon's coordinates, lon/lat.
CREATE FUNCTION truce_zone_geom(body TEXT) RETURNS geometry LANGUAGE sql IMMUTABLE AS $$
	SELECT ST_SetSRID(ST_GeomFromGeoJSON(json_build_object('type', 'MultiPolygon',
		'coordinates', (body::json)->'geometry')::text), 4326)
$$;

CREATE FUNCTION truce_zone_geometry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO zone_geometries (zone, geom) VALUES (NEW.id, truce_zone_geom(NEW.body))
	ON CONFLICT (zone) DO UPDATE SET geom = excluded.geom;
	RETURN NULL;
END $$;

CREATE TRIGGER zones_geometry AFTER INSERT OR UPDATE OF body ON zones
	FOR EACH ROW EXECUTE FUNCTION truce_zone_geometry();

INSERT INTO zone_geometries (zone, geom) SELECT id, truce_zone_geom(body) FROM zones;

-- The map as analysts read it: each zone's kind, approval state, validity,
-- controller and geometry. For example, the approved zones covering a
-- point on 1 January 2018:
--   SELECT id, kind, controller FROM zone_map
--   WHERE state = 'approved' AND valid_from <= '2018-01-01' AND (valid_to = '' OR valid_to > '2018-01-01')
--     AND ST_Covers(geom, ST_SetSRID(ST_MakePoint(36.6339, 35.9306), 4326));
CREATE VIEW zone_map AS
SELECT z.id, z.kind, z.state, z.valid_from, z.valid_to, (z.body::json)->>'controller' AS controller, g.geom
FROM zones z JOIN zone_geometries g ON g.zone = z.id;
