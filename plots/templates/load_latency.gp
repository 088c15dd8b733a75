# Load latency vs working-set size (log x): the steps are where the working set outgrows
# L1, L2 and L3. Dashed lines: the levels the calibration fitted to the sweep (L1, L2, L3,
# DRAM), when stored.
# Parameters: format, out, template_dir, data, unit, l1, l2, l3, dram (NaN when absent), source.
# Data: header row, then "bytes<TAB>latency" rows in increasing size.
load template_dir.'common.gp'
set title sprintf('Load latency vs working-set size (%s)', exists("source") ? source : '')
set xlabel 'working set (bytes, log scale)'
set ylabel sprintf('load-to-use latency (%s)', unit)
set logscale x 2
set format x '%.0b %BB'
set grid xtics ytics lc rgb '#e0e0e0' lt 1
set yrange [0:*]
set key inside left top vertical Left reverse opaque
level(v, x) = (v == v) ? v : NaN
plot data using 1:2 with linespoints lw 2 pt 7 title 'measured', \
     level(l1, x) with lines dt 2 lc rgb '#2ca02c' title 'L1 hit', \
     level(l2, x) with lines dt 2 lc rgb '#ff7f0e' title 'L2 hit', \
     level(l3, x) with lines dt 2 lc rgb '#d62728' title 'L3 hit', \
     level(dram, x) with lines dt 2 lc rgb '#7f7f7f' title 'DRAM'
