# One metric per engine across runs (oldest left).
# Parameters: format, out, template_dir, data, series (engines), ylabel.
# Data: header row "run<TAB>engine...", then one row per run; '?' = engine not in that run.
load template_dir.'common.gp'
set title sprintf('History across runs: %s', ylabel)
set ylabel ylabel
set xtics rotate by -35 left
set offsets 0.3, 0.3, 0, 0
plot for [c=2:series+1] data using 0:c:xtic(1) with linespoints lw 2 ps 1.2 title columnheader(c)
