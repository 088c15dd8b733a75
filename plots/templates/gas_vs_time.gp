# Gas vs time, one point per program and engine (log-log). Each engine's points lie on a
# diagonal when gas is proportional to time; the dashed diagonals are the smallest and
# largest ns per gas seen, so the gap between them is the spread gas leaves unpriced.
# Parameters: format, out, template_dir, data, series (blocks of engines), marked (blocks of
# stride-conflict programs after them, one per stride), k_min, k_max (ns per gas).
# Data: per engine a block: title row, then "program<TAB>gas<TAB>time_ns" rows; blocks are
# separated by two blank lines; then one block per stride with those programs' points.
load template_dir.'common.gp'
set title 'Gas vs time per engine and cost model (median per program)'
set xlabel 'gas charged (log scale)'
set ylabel 'wall time, ns (log scale)'
set logscale xy
set format x '%.0s%c'
set format y '%.0s%c'
set grid xtics ytics lc rgb '#e0e0e0' lt 1
fastest(x) = k_min * x
slowest(x) = k_max * x
if (marked > 0) {
    plot for [i=0:series-1] data index i using 2:3 with points ps 1.3 title columnheader(1), \
         fastest(x) with lines dt 2 lc rgb '#999999' title sprintf('fastest program: %.3g ns/gas', k_min), \
         slowest(x) with lines dt 3 lc rgb '#999999' title sprintf('slowest program: %.3g ns/gas', k_max), \
         for [j=0:marked-1] data index series+j using 2:3 with points pt int(word('6 4 8 12', j % 4 + 1)) ps 2.2 \
             lc rgb '#000000' title columnheader(1)
} else {
    plot for [i=0:series-1] data index i using 2:3 with points ps 1.3 title columnheader(1), \
         fastest(x) with lines dt 2 lc rgb '#999999' title sprintf('fastest program: %.3g ns/gas', k_min), \
         slowest(x) with lines dt 3 lc rgb '#999999' title sprintf('slowest program: %.3g ns/gas', k_max)
}
