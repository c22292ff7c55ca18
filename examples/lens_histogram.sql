-- The seed's CESM LENS computation (Pangeo multi-cloud demo), as one statement:
--
--   precip_in_m = lens.PRECT * (6 * 3600)          # m/s -> m per 6 hours, float32
--   lens_hist = histogram(precip_in_m.isel(member_id=0), bins=[bins], dim=['lon']).mean(dim='time')
--
-- Rows: lat, bin (0-based), value = the mean over time of the number of longitudes
-- whose 6-hour total falls in the bin, for the first ensemble member.
WITH hist AS (
  SELECT time, lat, HISTOGRAM(PRECT * (6 * 3600), EDGES(0, LOGSPACE(-5, 0, 50))) AS counts
  FROM lens
  WHERE INDEX_OF(member_id) = 0
  GROUP BY time, lat
)
SELECT h.lat AS lat, b.bin - 1 AS bin, AVG(b.n) AS value
FROM hist AS h,
     JSON_TABLE(h.counts, '$[*]' COLUMNS (bin FOR ORDINALITY, n DOUBLE PATH '$')) AS b
GROUP BY lat, bin
ORDER BY lat, bin;
