-- Saved datasets keep vendor filters as vendor ids, so renaming a vendor changes neither what they select nor
-- their bytes. Datasets saved before kept the names (or ids) as typed: rewrite them to ids, sorted and without
-- repeats as the export now stores them, in the filters and in the manifest the downloads read.
UPDATE "Dataset" d
SET filters = jsonb_set(d.filters, '{vendors}', ids.list),
    manifest = CASE WHEN d.manifest IS NULL OR d.manifest -> 'filters' -> 'vendors' IS NULL THEN d.manifest
                    ELSE jsonb_set(d.manifest, '{filters,vendors}', ids.list) END
FROM (
  SELECT d2.id, jsonb_agg(DISTINCT coalesce(v.id, x.value) COLLATE "C" ORDER BY coalesce(v.id, x.value) COLLATE "C") AS list
  FROM "Dataset" d2
  CROSS JOIN LATERAL jsonb_array_elements_text(d2.filters -> 'vendors') AS x(value)
  LEFT JOIN "Vendor" v ON v.id = x.value OR v.name = x.value
  WHERE jsonb_typeof(d2.filters -> 'vendors') = 'array'
  GROUP BY d2.id
) ids
WHERE ids.id = d.id;
