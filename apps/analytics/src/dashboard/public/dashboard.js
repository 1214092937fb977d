// The analytics dashboard: renders each `summary` event of /analytics/stream (the GET
// /analytics/summary JSON, pushed every second). Plain script, no build step; uPlot is global.
(() => {
  'use strict';
  const DELAY_POINTS = 300;
  const CHART_HEIGHT = 180;
  const delay = { at: [], p50: [], p99: [] };
  const charts = {};
  const byId = (id) => document.getElementById(id);
  const chartWidth = (element) => Math.max(300, element.clientWidth);

  function setValue(id, value, text) {
    const element = byId(id);
    element.dataset.value = value === null ? '' : String(value);
    element.textContent = text ?? (value === null ? '–' : String(value));
  }

  function chart(id, series, values) {
    const element = byId(id);
    if (charts[id]) charts[id].setData(values);
    else charts[id] = new uPlot({ width: chartWidth(element), height: CHART_HEIGHT, legend: { live: false }, series: [{}, ...series] }, values, element);
  }

  // A second without a presence change kept the count before it; before the first sample the
  // earliest known count stands in, and with none at all the current one.
  function onlineSeries(seconds, onlineNow) {
    const first = seconds.find((s) => s.online !== null);
    let last = first ? first.online : onlineNow;
    return seconds.map((s) => (last = s.online ?? last));
  }

  function row(cells, className) {
    const tr = document.createElement('tr');
    if (className) tr.className = className;
    for (const cell of cells) {
      const td = document.createElement('td');
      if (cell instanceof Node) {
        td.className = 'bar';
        td.append(cell);
      } else td.textContent = String(cell);
      tr.append(td);
    }
    return tr;
  }

  function fill(tableId, rows, emptyText, columns) {
    const empty = row([emptyText, ...Array(columns - 1).fill('')], 'empty');
    byId(tableId).tBodies[0].replaceChildren(...(rows.length ? rows : [empty]));
  }

  function renderTables(summary) {
    const most = summary.topRooms5m.length ? summary.topRooms5m[0].messages : 1;
    const rooms = summary.topRooms5m.map((room) => {
      const bar = document.createElement('span');
      bar.style.width = `${((100 * room.messages) / most).toFixed(1)}%`;
      const tr = row([room.roomId, room.messages, bar]);
      tr.dataset.roomId = room.roomId;
      tr.dataset.messages = String(room.messages);
      return tr;
    });
    fill('top-rooms', rooms, 'no messages', 3);
    const services = Object.keys(summary.errors5m).sort().map((service) => {
      const e = summary.errors5m[service];
      const tr = row([service, e.fatal, e.error, e.warn, e.total]);
      tr.dataset.service = service;
      return tr;
    });
    fill('errors', services, 'no warnings or errors', 5);
  }

  function renderCharts(summary) {
    const x = summary.seconds.map((s) => Date.parse(s.second) / 1000);
    const messages = summary.seconds.map((s) => s.messages);
    chart('chart-messages', [{ label: 'messages/s', stroke: '#2563eb', fill: 'rgba(37,99,235,0.1)' }], [x, messages]);
    chart('chart-online', [{ label: 'online', stroke: '#16a34a' }], [x, onlineSeries(summary.seconds, summary.onlineNow)]);
    // The summary has the 5-minute quantiles of now only: the page keeps what it was pushed.
    delay.at.push(Date.parse(summary.at) / 1000);
    delay.p50.push(summary.delay5m.p50Ms);
    delay.p99.push(summary.delay5m.p99Ms);
    if (delay.at.length > DELAY_POINTS) for (const k of ['at', 'p50', 'p99']) delay[k].shift();
    chart('chart-delay', [{ label: 'p50 ms', stroke: '#9333ea' }, { label: 'p99 ms', stroke: '#dc2626' }], [delay.at, delay.p50, delay.p99]);
  }

  function render(summary) {
    const ms = (v) => (v === null ? '–' : `${v.toFixed(1)} ms`);
    setValue('total-messages', summary.total.messages);
    setValue('rate-messages', summary.ratesPerSecond.messages, summary.ratesPerSecond.messages.toFixed(1));
    setValue('online-now', summary.onlineNow);
    setValue('distinct-senders', summary.distinctSenders5m);
    setValue('delay-p50', summary.delay5m.p50Ms, ms(summary.delay5m.p50Ms));
    setValue('delay-p99', summary.delay5m.p99Ms, ms(summary.delay5m.p99Ms));
    byId('summary-at').textContent = summary.at;
    document.body.dataset.summaryAt = summary.at;
    renderTables(summary);
    renderCharts(summary);
  }

  function status(state, text) {
    document.body.dataset.stream = state;
    byId('stream-status').textContent = text;
  }

  // EventSource reconnects by itself after a network error (the server's `retry:`), but gives up
  // on an HTTP error (503: too many dashboards): then a new one is opened a little later.
  function connect() {
    const source = new EventSource('stream');
    source.addEventListener('summary', (event) => {
      render(JSON.parse(event.data));
      status('live', 'live');
    });
    source.addEventListener('unavailable', () => status('stale', 'aggregates unavailable, retrying'));
    source.onerror = () => {
      status('stale', 'disconnected, reconnecting');
      if (source.readyState === EventSource.CLOSED) setTimeout(connect, 5000);
    };
  }
  connect();

  window.addEventListener('resize', () => {
    for (const id of Object.keys(charts)) charts[id].setSize({ width: chartWidth(byId(id)), height: CHART_HEIGHT });
  });
})();
