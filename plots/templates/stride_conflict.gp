# The stride-conflict programs: the same instructions and the same gas, strides 1, 2048 and
# 2053. Stride 2048 maps every load to one L1 set, so it is slower for the same gas.
# Parameters: format, out, template_dir, data, series (engines).
# Data: header row "stride<TAB>engine...", then one row per stride; values in ms.
load template_dir.'common.gp'
set title 'Stride-conflict programs: same gas, different strides'
set ylabel 'median wall time (ms)'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set yrange [0:*]
plot for [c=2:series+1] data using c:xtic(1) title columnheader(c)
