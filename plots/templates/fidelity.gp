# Held-out fidelity: per cost table and program set (all, compute-bound, memory-bound
# programs; lazy pages charged), max/median and p95/median of ns/gas with their 95 %
# bootstrap intervals as error bars. 1 means gas is proportional to time.
# Parameters: format, out, template_dir, data.
# Data: header row, then "label<TAB>max<TAB>low<TAB>high<TAB>p95<TAB>low<TAB>high" per row.
height = 600
load template_dir.'common.gp'
set title 'Held-out fidelity: max and p95 of ns/gas over the median (95% intervals)'
set ylabel 'ratio to the median ns/gas'
set style data histograms
set style histogram errorbars gap 1 lw 1
set style fill solid 0.85 border -1
set xtics rotate by -30 left
set yrange [0:*]
set bmargin 12
plot data using 2:3:4:xtic(1) title columnheader(2), '' using 5:6:7 title columnheader(5)
