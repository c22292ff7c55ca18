-- The seed's ERA5 computation (Pangeo multi-cloud demo), as one statement:
--
--   tp_6hr = era5.tp.sel(time=slice('1990-01-01', '2005-12-31')).coarsen(time=6).sum()
--   bins = np.concatenate([[0], np.logspace(-5, 0, 50)])
--   tp_hist = histogram(tp_6hr, bins=[bins], dim=['longitude']).mean(dim='time')
--
-- Rows: lat, bin (0-based), value = the mean over the 6-hour steps of the number of
-- longitudes whose 6-hour total falls in the bin. A store that holds less than
-- 1990-2005 gives whatever falls inside; 'trim' drops an incomplete last window.
WITH tp_6hr AS (
  SELECT COARSEN(time, 6, 'trim') AS time, latitude, longitude, SUM(tp) AS tp_6hr
  FROM era5
  WHERE time >= '1990-01-01' AND time < '2006-01-01'
  GROUP BY 1, 2, 3
), hist AS (
  SELECT time, latitude, HISTOGRAM(tp_6hr, EDGES(0, LOGSPACE(-5, 0, 50))) AS counts
  FROM tp_6hr
  GROUP BY time, latitude
)
SELECT h.latitude AS lat, b.bin - 1 AS bin, AVG(b.n) AS value
FROM hist AS h,
     JSON_TABLE(h.counts, '$[*]' COLUMNS (bin FOR ORDINALITY, n DOUBLE PATH '$')) AS b
GROUP BY lat, bin
ORDER BY lat, bin;
