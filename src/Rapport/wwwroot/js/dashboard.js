// Draws the dashboard's charts from the JSON the server embedded in the page. Without script
// (or if Chart.js failed to load) the tables beside the charts carry the same figures.
(function () {
  const data = document.getElementById('dashboard-data');
  if (!data || typeof Chart === 'undefined') return;
  const figures = JSON.parse(data.textContent);
  // One colour per channel, stable across pages, distinguishable for common colour-vision deficiencies (Okabe–Ito).
  const colours = {
    Physician: '#0072B2', DirectAccess: '#E69F00', WebSearch: '#56B4E9', FriendOrFamily: '#009E73',
    PastPatient: '#CC79A7', Event: '#D55E00', Other: '#999999',
  };
  document.querySelectorAll('.chart-canvas').forEach(c => c.classList.add('drawn'));

  // The month so far is drawn hatched and outlined in its channel's colour, so its short bar is not
  // read as a collapse: it is not a complete month.
  const partialIndex = typeof figures.partialIndex === 'number' ? figures.partialIndex : -1;
  function hatch(colour) {
    const tile = document.createElement('canvas');
    tile.width = tile.height = 8;
    const g = tile.getContext('2d');
    g.fillStyle = '#ffffff';
    g.fillRect(0, 0, 8, 8);
    g.strokeStyle = colour;
    g.lineWidth = 2;
    g.beginPath();
    g.moveTo(0, 8); g.lineTo(8, 0);
    g.moveTo(-2, 2); g.lineTo(2, -2);
    g.moveTo(6, 10); g.lineTo(10, 6);
    g.stroke();
    return g.createPattern(tile, 'repeat');
  }
  // Writes "so far (to 2nd)" up the month-so-far bar's stack, so the short bar is named where it
  // stands, even when the axis skips its label on a narrow screen.
  const partialMark = {
    id: 'partialMark',
    afterDatasetsDraw(chart) {
      if (partialIndex < 0 || !figures.partialMark) return;
      let top = null;
      chart.data.datasets.forEach((d, i) => {
        const bar = chart.isDatasetVisible(i) ? chart.getDatasetMeta(i).data[partialIndex] : null;
        if (bar && (top === null || bar.y < top.y)) top = bar;
      });
      if (!top) return;
      const g = chart.ctx;
      g.save();
      g.font = 'italic 11px system-ui, -apple-system, "Segoe UI", sans-serif';
      const room = top.y - chart.chartArea.top - 6 >= g.measureText(figures.partialMark).width;
      g.translate(top.x, room ? top.y - 5 : top.y + 5);
      g.rotate(-Math.PI / 2);
      g.textAlign = room ? 'left' : 'right';
      g.textBaseline = 'middle';
      g.lineWidth = 3;
      g.strokeStyle = '#ffffff';
      g.strokeText(figures.partialMark, 0, 0);
      g.fillStyle = '#333333';
      g.fillText(figures.partialMark, 0, 0);
      g.restore();
    },
  };

  const channelCanvas = document.getElementById('channel-chart');
  if (channelCanvas) {
    new Chart(channelCanvas, {
      type: 'bar',
      data: {
        labels: figures.months,
        datasets: figures.channels.map(c => {
          const colour = colours[c.channel] || '#777';
          const hatched = hatch(colour);
          return {
            label: c.label,
            data: c.referrals,
            backgroundColor: ctx => (ctx.type === 'data' && ctx.dataIndex === partialIndex ? hatched : colour),
            borderColor: colour,
            borderWidth: ctx => (ctx.type === 'data' && ctx.dataIndex === partialIndex ? 1.5 : 0),
          };
        }),
      },
      plugins: [partialMark],
      options: {
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: 'index', intersect: false },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 14 } },
          tooltip: {
            itemSort: (a, b) => b.datasetIndex - a.datasetIndex,
            footer: items => (items.length > 0 && items[0].dataIndex === partialIndex ? 'The month so far: not a complete month' : ''),
          },
        },
        scales: {
          x: { stacked: true, title: { display: true, text: 'Month received' }, ticks: { maxRotation: 60, autoSkip: true } },
          y: { stacked: true, beginAtZero: true, title: { display: true, text: 'Referrals' }, ticks: { precision: 0 } },
        },
      },
    });
  }

  const touchCanvas = document.getElementById('touch-chart');
  if (touchCanvas && figures.touches.length > 0) {
    new Chart(touchCanvas, {
      type: 'bar',
      data: {
        labels: figures.touches.map(t => t.method),
        datasets: [{ label: 'Touches', data: figures.touches.map(t => t.touches), backgroundColor: '#0072B2' }],
      },
      options: {
        indexAxis: 'y',
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
        scales: {
          x: { beginAtZero: true, title: { display: true, text: 'Touches so far this month' }, ticks: { precision: 0 } },
          y: { title: { display: true, text: 'Method' }, ticks: { autoSkip: false } },
        },
      },
    });
  }
})();
