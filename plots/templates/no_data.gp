# Placeholder drawn instead of a figure that has no data.
# Parameters: format, out, template_dir, figure_title, message (what to run to get data).
height = 220
load template_dir.'common.gp'
set title figure_title
unset border
unset tics
unset grid
unset key
set label 1 message at graph 0.5, 0.5 center font ',14' textcolor rgb '#666666'
plot [0:1][0:1] NaN
