# Engine time / native time per guest: grouped bars on a log scale (1 = as fast as native).
# Parameters: format, out, template_dir, data, series (number of engine columns).
# Data: header row "guest<TAB>engine...", then one row per guest; '?' where an engine has no
# sample of that guest.
load template_dir.'common.gp'
set title 'Time relative to native code (median wall time; lower is better)'
set ylabel 'engine time / native time (log scale)'
set logscale y
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set xtics rotate by -35 left
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb '#333333'
plot for [c=2:series+1] data using c:xtic(1) title columnheader(c)
