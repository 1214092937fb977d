// Chat web client: plain JS, no build step, no framework. Speaks protocol v1 (Socket.IO, /chat).
// Every piece of user-provided text reaches the page through textContent or text nodes, never
// through innerHTML.

const ACK_TIMEOUT_MS = 6000; // a little above the gateway's ACK_TIMEOUT_MS (5 s)
const SEND_MAX_ATTEMPTS = 8; // retryable send failures before giving up (the user can retry)
const GROUP_WINDOW_MS = 5 * 60 * 1000; // consecutive messages of one sender within this share a header
const STORAGE_KEY = 'chat.session.v1'; // per tab: two tabs can be two users

// ---------------------------------------------------------------------------------------------
// DOM helpers
// ---------------------------------------------------------------------------------------------

const $ = (id) => document.getElementById(id);

/** Creates an element. Children that are strings become text nodes (never parsed as HTML). */
function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

function show(node, visible) {
  node.hidden = !visible;
}

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

const state = {
  config: null, // GET /config.json
  patterns: null, // { userId: RegExp, publicRoom: RegExp }
  session: null, // { userId, name, token }
  gateway: 0, // index into config.gateways
  socket: null,
  connection: 'offline', // offline | connecting | connected | reconnecting
  connectionDetail: '',
  reconnectTimer: null,
  manualRetries: 0,
  rooms: new Map(), // roomId -> Room, in the order joined
  active: null, // roomId shown
  presence: new Map(), // userId -> 'online' | 'offline' (presence:update, when the gateway sends it)
};

/**
 * A joined conversation. `messages` are the confirmed messages ascending by offset, deduped by
 * messageId; `pending` are this client's sends not confirmed yet, by clientMsgId.
 */
function createRoom(id) {
  return {
    id,
    messages: [],
    byId: new Map(),
    pending: new Map(),
    lastOffset: null, // highest offset seen: the resume cursor for room:join sinceOffset
    hasMore: false,
    loadingOlder: false,
    joinedOn: null, // the socket this room is joined on
    sending: null, // the pending item whose message:send is in flight
    joinSeq: 0,
    joinRetries: 0,
    joinTimer: null,
    error: null, // a non-retryable join error (FORBIDDEN, …)
    online: new Set(),
    unread: 0,
  };
}

function isJoined(room) {
  return room.joinedOn !== null && room.joinedOn === state.socket && state.socket.connected;
}

// ---------------------------------------------------------------------------------------------
// Persistence (sessionStorage: survives a reload, not shared between tabs)
// ---------------------------------------------------------------------------------------------

function saveSession() {
  if (!state.session) {
    sessionStorage.removeItem(STORAGE_KEY);
    return;
  }
  const data = { session: state.session, gateway: state.gateway, rooms: [...state.rooms.keys()], active: state.active };
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(data));
}

function loadSession() {
  try {
    const data = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null');
    if (!data || typeof data.session?.token !== 'string') return null;
    return data;
  } catch {
    return null;
  }
}

/** The claims of a JWT, for display and expiry only (the gateway verifies it). */
function decodeToken(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = atob(part.padEnd(part.length + ((4 - (part.length % 4)) % 4), '='));
    const claims = JSON.parse(json);
    return claims && typeof claims === 'object' ? claims : null;
  } catch {
    return null;
  }
}

function tokenExpired(token) {
  const exp = decodeToken(token)?.exp;
  return typeof exp === 'number' && exp * 1000 < Date.now() + 30_000;
}

// ---------------------------------------------------------------------------------------------
// Names and formatting
// ---------------------------------------------------------------------------------------------

function gatewayLabel(index) {
  return String.fromCharCode(65 + index); // A, B, C…
}

function gatewayHost(index) {
  try {
    return new URL(state.config.gateways[index]).host;
  } catch {
    return state.config.gateways[index];
  }
}

function dmMembers(roomId) {
  const match = /^dm:([^:]+):([^:]+)$/.exec(roomId);
  return match ? [match[1], match[2]] : null;
}

function roomTitle(roomId) {
  const members = dmMembers(roomId);
  if (!members) return `# ${roomId}`;
  const other = members.find((m) => m !== state.session?.userId) ?? members[0];
  return `@ ${other}`;
}

function hue(text) {
  let hash = 0;
  for (const ch of text) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  return hash % 360;
}

function avatar(userId, extraClass = '') {
  const node = h('span', { class: `avatar ${extraClass}`.trim(), 'aria-hidden': 'true' }, (userId[0] ?? '?').toUpperCase());
  node.style.setProperty('--hue', String(hue(userId)));
  return node;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' });

function dayLabel(date) {
  const today = new Date();
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  if (date.toDateString() === today.toDateString()) return 'Today';
  if (date.toDateString() === yesterday.toDateString()) return 'Yesterday';
  return dayFormat.format(date);
}

// ---------------------------------------------------------------------------------------------
// Toasts
// ---------------------------------------------------------------------------------------------

function toast(text, kind = 'error') {
  const node = h(
    'div',
    { class: `toast ${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    h('span', { class: 'toast-text' }, text),
    h('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss', onclick: () => node.remove() }, '×'),
  );
  $('toasts').append(node);
  setTimeout(() => node.remove(), kind === 'error' ? 10_000 : 5_000);
}

function describeError(error) {
  return error?.message ? `${error.code}: ${error.message}` : String(error?.code ?? 'UNKNOWN');
}

// ---------------------------------------------------------------------------------------------
// Connection
// ---------------------------------------------------------------------------------------------

/** Emits with an ack and a timeout; always resolves with an ack-shaped answer. */
function request(event, payload) {
  const socket = state.socket;
  return new Promise((resolve) => {
    if (!socket || !socket.connected) {
      resolve({ ok: false, error: { code: 'DISCONNECTED', message: 'not connected to a gateway', retryable: true } });
      return;
    }
    socket.timeout(ACK_TIMEOUT_MS).emit(event, payload, (err, answer) => {
      if (err) {
        resolve({ ok: false, error: { code: 'TIMEOUT', message: 'the gateway did not answer in time', retryable: true } });
      } else if (!answer || typeof answer !== 'object' || typeof answer.ok !== 'boolean') {
        resolve({ ok: false, error: { code: 'INTERNAL', message: 'malformed answer from the gateway', retryable: false } });
      } else {
        resolve(answer);
      }
    });
  });
}

function setConnection(status, detail = '') {
  state.connection = status;
  state.connectionDetail = detail;
  document.body.dataset.connection = status;
  renderConnection();
}

function connect() {
  disconnect();
  const index = state.gateway;
  const socket = io(state.config.gateways[index] + state.config.protocol.namespace, {
    auth: { token: state.session.token },
    forceNew: true, // one Manager per connect(): no state shared across gateway switches or users
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });
  state.socket = socket;
  setConnection('connecting');
  const current = () => state.socket === socket;

  socket.on('connect', () => {
    if (!current()) return;
    state.manualRetries = 0;
    clearTimeout(state.reconnectTimer);
    setConnection('connected');
    // Membership belongs to the connection: (re-)join every room, resuming from the last offset.
    for (const room of state.rooms.values()) joinRoom(room);
  });

  socket.on('disconnect', (reason) => {
    if (!current()) return;
    for (const room of state.rooms.values()) room.joinedOn = null;
    if (reason === 'io client disconnect') return;
    setConnection('reconnecting', reason === 'io server disconnect' ? 'the gateway closed the connection' : 'connection lost');
    // After a server-side disconnect (a gateway draining) Socket.IO does not reconnect by itself.
    if (reason === 'io server disconnect') scheduleManualReconnect(socket);
    renderAll();
  });

  socket.on('connect_error', (error) => {
    if (!current()) return;
    if (error?.message === 'UNAUTHORIZED') {
      signOut('The gateway refused your token (UNAUTHORIZED). Please sign in again.');
      return;
    }
    const why = error?.message === 'UNAVAILABLE' ? 'gateway unavailable' : `cannot reach gateway ${gatewayLabel(index)}`;
    setConnection('reconnecting', why);
    // A refusal by the server's middleware (UNAVAILABLE while draining) is not retried by Socket.IO.
    if (!socket.active) scheduleManualReconnect(socket);
  });

  socket.io.on('reconnect_attempt', (attempt) => {
    if (current()) setConnection('reconnecting', `${state.connectionDetail.replace(/ · attempt \d+$/, '')} · attempt ${attempt}`);
  });

  socket.on('message:new', (message) => {
    if (!current() || !message || typeof message !== 'object') return;
    const room = state.rooms.get(message.roomId);
    if (!room) return;
    const added = mergeMessages(room, [message]);
    if (added > 0 && room.id !== state.active && message.senderId !== state.session.userId) room.unread += added;
    renderAfterMessages(room);
  });

  socket.on('presence:update', (update) => {
    if (!current() || typeof update?.userId !== 'string') return;
    state.presence.set(update.userId, update.status === 'online' ? 'online' : 'offline');
    renderRoomHeader();
  });
}

function scheduleManualReconnect(socket) {
  clearTimeout(state.reconnectTimer);
  const delay = Math.min(5000, 500 * 2 ** state.manualRetries++) * (0.75 + Math.random() * 0.5);
  state.reconnectTimer = setTimeout(() => {
    if (state.socket === socket && !socket.connected) socket.connect();
  }, delay);
}

function disconnect() {
  clearTimeout(state.reconnectTimer);
  const socket = state.socket;
  state.socket = null;
  for (const room of state.rooms.values()) room.joinedOn = null;
  if (socket) {
    socket.removeAllListeners();
    socket.io.removeAllListeners('reconnect_attempt');
    socket.disconnect();
  }
  setConnection('offline');
}

function switchGateway(index) {
  if (index === state.gateway && state.socket) return;
  state.gateway = index;
  saveSession();
  renderGatewayChoices();
  connect();
}

// ---------------------------------------------------------------------------------------------
// Rooms and messages
// ---------------------------------------------------------------------------------------------

/**
 * Adds messages to a room: dedupe by messageId (acks, message:new, joins and history overlap),
 * keep ascending offset order, advance the resume cursor, and settle our own pending sends.
 * Returns how many messages were new.
 */
function mergeMessages(room, messages) {
  let added = 0;
  for (const m of messages ?? []) {
    if (!m || typeof m.messageId !== 'string' || typeof m.offset !== 'number' || typeof m.body !== 'string') continue;
    if (room.lastOffset === null || m.offset > room.lastOffset) room.lastOffset = m.offset;
    if (m.senderId === state.session?.userId) settlePending(room, m.clientMsgId);
    if (room.byId.has(m.messageId)) continue;
    room.byId.set(m.messageId, m);
    const list = room.messages;
    let i = list.length;
    while (i > 0 && list[i - 1].offset > m.offset) i--;
    list.splice(i, 0, m);
    added++;
  }
  return added;
}

function settlePending(room, clientMsgId) {
  const item = room.pending.get(clientMsgId);
  if (!item) return;
  clearTimeout(item.timer);
  room.pending.delete(clientMsgId);
}

/** room:join (again), with sinceOffset once we have seen a message; loops while 1000 come back. */
async function joinRoom(room) {
  clearTimeout(room.joinTimer);
  const seq = ++room.joinSeq;
  const socket = state.socket;
  const { joinLatestCount, maxJoinMessages } = state.config.protocol;
  room.joinedOn = null;
  renderRoomStatus(room);
  for (;;) {
    const req = { roomId: room.id };
    if (room.lastOffset !== null) req.sinceOffset = room.lastOffset;
    const res = await request('room:join', req);
    if (seq !== room.joinSeq || socket !== state.socket || state.rooms.get(room.id) !== room) return;
    if (!res.ok) {
      onJoinFailed(room, res.error);
      return;
    }
    room.error = null;
    room.joinRetries = 0;
    room.joinedOn = socket;
    room.online = new Set(Array.isArray(res.online) ? res.online : []);
    const before = room.lastOffset;
    const added = mergeMessages(room, res.messages);
    if (req.sinceOffset === undefined) room.hasMore = (res.messages?.length ?? 0) >= joinLatestCount;
    else if (added > 0 && room.id !== state.active) room.unread += added;
    if (req.sinceOffset === undefined || (res.messages?.length ?? 0) < maxJoinMessages || room.lastOffset === before) break;
  }
  renderAfterMessages(room);
  pumpOutbox(room);
}

function onJoinFailed(room, error) {
  if (error.retryable && error.code !== 'DISCONNECTED') {
    // UNAVAILABLE / TIMEOUT: try again with backoff on the same connection.
    const delay = Math.min(10_000, 500 * 2 ** room.joinRetries++) * (0.75 + Math.random() * 0.5);
    room.error = { ...error, transient: true };
    room.joinTimer = setTimeout(() => {
      if (state.rooms.get(room.id) === room && state.socket?.connected) joinRoom(room);
    }, delay);
  } else if (error.code !== 'DISCONNECTED') {
    room.error = error;
    toast(`Cannot join ${roomTitle(room.id)} — ${describeError(error)}`);
  }
  renderAll();
}

function openRoom(roomId) {
  let room = state.rooms.get(roomId);
  if (!room) {
    room = createRoom(roomId);
    state.rooms.set(roomId, room);
    if (state.socket?.connected) joinRoom(room);
  }
  state.active = roomId;
  room.unread = 0;
  saveSession();
  renderAll({ scroll: 'bottom' });
  $('composer-input').focus();
}

function leaveRoom(roomId) {
  const room = state.rooms.get(roomId);
  if (!room) return;
  clearTimeout(room.joinTimer);
  for (const item of room.pending.values()) clearTimeout(item.timer);
  state.rooms.delete(roomId);
  if (state.socket?.connected) request('room:leave', { roomId });
  if (state.active === roomId) state.active = state.rooms.keys().next().value ?? null;
  saveSession();
  renderAll({ scroll: 'bottom' });
}

/** What the join box accepts: a public room id, `dm with <user>`, `@user`, or a canonical `dm:a:b`. */
function parseJoinInput(raw) {
  const me = state.session.userId;
  const text = raw.trim();
  if (!text) return { error: 'Type a room id, or "dm with <user>".' };
  const dmWith = /^(?:dm\s+with\s+|dm\s+|@)(.+)$/i.exec(text);
  if (dmWith) {
    const other = dmWith[1].trim();
    if (!state.patterns.userId.test(other)) return { error: `"${other}" is not a user id (1–64 of A-Z a-z 0-9 _ . -).` };
    if (other === me) return { error: 'A direct conversation needs someone else.' };
    return { roomId: me < other ? `dm:${me}:${other}` : `dm:${other}:${me}` };
  }
  const members = dmMembers(text);
  if (members) {
    const [a, b] = members;
    if (!state.patterns.userId.test(a) || !state.patterns.userId.test(b) || !(a < b)) {
      return { error: 'A direct room id is dm:<a>:<b> with a < b; type "dm with <user>" instead.' };
    }
    return { roomId: text };
  }
  const roomId = text.replace(/^#\s*/, '').toLowerCase();
  if (!state.patterns.publicRoom.test(roomId)) {
    return { error: 'A room id is 1–64 of a-z 0-9 _ - and starts with a letter or digit.' };
  }
  return { roomId };
}

// ---------------------------------------------------------------------------------------------
// Sending: clientMsgId per message; retry the same id on retryable errors, with backoff
// ---------------------------------------------------------------------------------------------

function sendMessage(room, body) {
  const item = {
    clientMsgId: crypto.randomUUID(),
    body,
    createdAt: Date.now(),
    status: 'queued', // queued | sending | waiting (for the connection) | backoff | failed
    attempts: 0,
    timer: null,
    error: null,
  };
  room.pending.set(item.clientMsgId, item);
  renderAfterMessages(room, { scroll: 'bottom' });
  pumpOutbox(room);
}

/**
 * One send in flight per room, oldest first, so that retries never reorder a user's messages.
 * A message that failed for good does not hold up the ones after it.
 */
function pumpOutbox(room) {
  if (room.sending || state.rooms.get(room.id) !== room) return;
  const next = [...room.pending.values()].find((item) => item.status !== 'failed');
  if (!next || next.status === 'backoff') return; // its timer pumps again
  if (!isJoined(room)) {
    for (const item of room.pending.values()) if (item.status !== 'failed' && item.status !== 'backoff') item.status = 'waiting';
    renderPending(room);
    return; // joinRoom pumps once joined
  }
  attemptSend(room, next);
}

async function attemptSend(room, item) {
  room.sending = item;
  item.status = 'sending';
  item.attempts++;
  renderPending(room);
  const res = await request('message:send', { roomId: room.id, clientMsgId: item.clientMsgId, body: item.body });
  room.sending = null;
  if (state.rooms.get(room.id) !== room) return;
  if (room.pending.get(item.clientMsgId) !== item) {
    pumpOutbox(room); // confirmed meanwhile by message:new, or discarded
    return;
  }
  if (res.ok) {
    mergeMessages(room, [res.message]);
    renderAfterMessages(room);
    pumpOutbox(room);
    return;
  }
  const { code } = res.error;
  if (code === 'DISCONNECTED' || !isJoined(room)) {
    item.status = 'waiting'; // resent with the same clientMsgId after the re-join
  } else if (code === 'NOT_IN_ROOM' && item.attempts < SEND_MAX_ATTEMPTS) {
    item.status = 'waiting';
    joinRoom(room);
  } else if ((code === 'UNAVAILABLE' || code === 'RATE_LIMITED' || code === 'TIMEOUT') && item.attempts < SEND_MAX_ATTEMPTS) {
    const base = code === 'RATE_LIMITED' ? 1000 : 400;
    const delay = Math.round(Math.min(10_000, base * 2 ** (item.attempts - 1)) * (0.75 + Math.random() * 0.5));
    item.status = 'backoff';
    item.error = res.error;
    item.retryAt = Date.now() + delay;
    item.timer = setTimeout(() => {
      item.status = 'queued';
      pumpOutbox(room);
    }, delay);
  } else {
    item.status = 'failed';
    item.error = res.error;
  }
  renderPending(room);
  if (item.status === 'failed') pumpOutbox(room);
}

async function loadOlder(room) {
  if (room.loadingOlder || room.messages.length === 0) return;
  room.loadingOlder = true;
  renderHistoryControls(room);
  const res = await request('history:fetch', {
    roomId: room.id,
    beforeOffset: room.messages[0].offset,
    limit: state.config.protocol.historyPageSize,
  });
  room.loadingOlder = false;
  if (state.rooms.get(room.id) !== room) return;
  if (!res.ok) {
    toast(`Could not load older messages — ${describeError(res.error)}`);
    renderHistoryControls(room);
    return;
  }
  room.hasMore = Boolean(res.hasMore);
  mergeMessages(room, res.messages);
  renderAfterMessages(room, { scroll: 'keep' });
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

function renderConnection() {
  const labels = {
    offline: 'Offline',
    connecting: `Connecting to ${state.config ? gatewayLabel(state.gateway) : ''}…`,
    connected: `Connected to ${state.config ? `${gatewayLabel(state.gateway)} · ${gatewayHost(state.gateway)}` : ''}`,
    reconnecting: `Reconnecting to ${state.config ? gatewayLabel(state.gateway) : ''}…`,
  };
  const text = labels[state.connection] + (state.connectionDetail ? ` (${state.connectionDetail})` : '');
  $('connection-text').textContent = text;
  $('connection').dataset.status = state.connection;
  renderComposerState();
}

function renderGatewayChoices() {
  for (const containerId of ['signin-gateways', 'gateway-switch']) {
    const container = $(containerId);
    const inTopbar = containerId === 'gateway-switch';
    container.replaceChildren(
      ...state.config.gateways.map((url, index) => {
        const id = `${containerId}-${index}`;
        const input = h('input', {
          type: 'radio',
          id,
          name: containerId,
          value: String(index),
          checked: index === state.gateway,
          onchange: () => {
            if (inTopbar) {
              switchGateway(index);
            } else {
              state.gateway = index;
              renderGatewayChoices();
            }
          },
        });
        const label = h(
          'label',
          { for: id, title: url },
          h('span', { class: 'segment-key' }, gatewayLabel(index)),
          inTopbar ? null : h('span', { class: 'segment-host' }, gatewayHost(index)),
        );
        return h('span', { class: 'segment' }, input, label);
      }),
    );
  }
}

function renderRooms() {
  const list = $('room-list');
  list.replaceChildren(
    ...[...state.rooms.values()].map((room) => {
      const members = dmMembers(room.id);
      const label = members ? (members.find((m) => m !== state.session.userId) ?? members[0]) : room.id;
      const status = room.error && !room.error.transient ? 'error' : isJoined(room) ? 'joined' : 'pending';
      return h(
        'li',
        {},
        h(
          'button',
          {
            type: 'button',
            class: `room-item${room.id === state.active ? ' active' : ''}`,
            'aria-current': room.id === state.active ? 'true' : null,
            dataset: { roomId: room.id, status },
            title: room.id,
            onclick: () => openRoom(room.id),
          },
          members ? avatar(label, 'tiny') : h('span', { class: 'room-hash', 'aria-hidden': 'true' }, '#'),
          h('span', { class: 'room-name' }, label),
          status === 'error' ? h('span', { class: 'room-flag', title: describeError(room.error) }, '!') : null,
          room.unread > 0 ? h('span', { class: 'badge', 'aria-label': `${room.unread} unread` }, room.unread > 99 ? '99+' : String(room.unread)) : null,
        ),
      );
    }),
  );
  show($('no-rooms'), state.rooms.size === 0);
}

function activeRoom() {
  return state.active ? (state.rooms.get(state.active) ?? null) : null;
}

function renderRoomHeader() {
  const room = activeRoom();
  if (!room) return;
  $('room-title').textContent = roomTitle(room.id);
  const members = dmMembers(room.id);
  const online = new Set([...room.online].filter((u) => state.presence.get(u) !== 'offline'));
  for (const [userId, status] of state.presence) {
    const participant = members ? members.includes(userId) : room.messages.some((m) => m.senderId === userId);
    if (status === 'online' && participant) online.add(userId);
  }
  const parts = [members ? 'Direct conversation' : 'Public room'];
  if (online.size > 0) parts.push(`${online.size} online: ${[...online].sort().join(', ')}`);
  $('room-sub').textContent = parts.join(' · ');
}

function renderRoomStatus(room) {
  if (room.id !== state.active) return;
  const error = $('room-error');
  if (room.error && !room.error.transient) {
    error.textContent = `You are not in this room — ${describeError(room.error)}`;
    show(error, true);
  } else if (room.error?.transient) {
    error.textContent = `Joining failed (${room.error.code}); retrying…`;
    show(error, true);
  } else {
    show(error, false);
  }
  renderComposerState();
}

function renderHistoryControls(room) {
  if (room.id !== state.active) return;
  const button = $('load-older');
  const canLoad = room.hasMore && room.messages.length > 0;
  show(button, canLoad);
  button.disabled = room.loadingOlder;
  button.textContent = room.loadingOlder ? 'Loading…' : 'Load older messages';
  show($('history-start'), !room.hasMore && room.messages.length > 0 && isJoined(room));
}

function timeNode(date) {
  const valid = !Number.isNaN(date.getTime());
  return h(
    'time',
    { class: 'message-time', datetime: valid ? date.toISOString() : null, title: valid ? fullFormat.format(date) : null },
    valid ? timeFormat.format(date) : '',
  );
}

/** One message row: avatar and header for the first of a group, a hover time in the gutter after. */
function messageRow({ senderId, body, date, grouped, props, extra = null }) {
  const mine = senderId === state.session.userId;
  const time = timeNode(date);
  return h(
    'li',
    { ...props, class: `message${grouped ? ' grouped' : ''}${mine ? ' mine' : ''}${props.class ? ` ${props.class}` : ''}` },
    grouped ? h('span', { class: 'gutter' }, time) : avatar(senderId),
    h(
      'div',
      { class: 'message-main' },
      grouped
        ? null
        : h('div', { class: 'message-meta' }, h('span', { class: 'message-sender' }, senderId), mine ? h('span', { class: 'you' }, 'you') : null, time),
      h('div', { class: 'message-body' }, body),
      extra,
    ),
  );
}

function pendingStatus(item) {
  switch (item.status) {
    case 'queued':
      return 'Queued…';
    case 'sending':
      return item.attempts > 1 ? `Sending (attempt ${item.attempts})…` : 'Sending…';
    case 'waiting':
      return 'Waiting for the connection…';
    case 'backoff':
      return `${item.error.code} — retrying in ${Math.max(1, Math.round((item.retryAt - Date.now()) / 1000))} s…`;
    default:
      return `Not sent — ${describeError(item.error)}`;
  }
}

function pendingExtra(item) {
  const actions =
    item.status === 'failed' || item.status === 'backoff'
      ? h(
          'span',
          { class: 'pending-actions' },
          h('button', { type: 'button', class: 'link', onclick: () => retryPending(item.clientMsgId) }, item.status === 'failed' ? 'Retry' : 'Retry now'),
          h('button', { type: 'button', class: 'link', onclick: () => discardPending(item.clientMsgId) }, 'Discard'),
        )
      : null;
  return h('div', { class: 'pending-status' }, h('span', {}, pendingStatus(item)), actions);
}

function retryPending(clientMsgId) {
  const room = activeRoom();
  const item = room?.pending.get(clientMsgId);
  if (!item || item.status === 'sending') return;
  clearTimeout(item.timer);
  item.attempts = 0; // a fresh budget, the same clientMsgId
  item.status = 'queued';
  pumpOutbox(room);
  renderPending(room);
}

function discardPending(clientMsgId) {
  const room = activeRoom();
  if (!room || room.sending?.clientMsgId === clientMsgId) return;
  settlePending(room, clientMsgId);
  renderPending(room);
  pumpOutbox(room);
}

function renderMessages(room) {
  const me = state.session.userId;
  const rows = [
    ...room.messages.map((m) => ({ senderId: m.senderId, body: m.body, date: new Date(m.sentAt), message: m })),
    ...[...room.pending.values()].sort((a, b) => a.createdAt - b.createdAt).map((item) => ({ senderId: me, body: item.body, date: new Date(item.createdAt), item })),
  ];
  const fragment = document.createDocumentFragment();
  let previous = null;
  let lastDay = null;
  for (const row of rows) {
    const day = Number.isNaN(row.date.getTime()) ? null : row.date.toDateString();
    if (day && day !== lastDay && row.message) {
      fragment.append(h('li', { class: 'day-divider', role: 'separator' }, h('span', {}, dayLabel(row.date))));
      lastDay = day;
      previous = null;
    }
    const grouped = previous !== null && previous.senderId === row.senderId && Math.abs(row.date - previous.date) < GROUP_WINDOW_MS;
    if (row.message) {
      const m = row.message;
      fragment.append(messageRow({ ...row, grouped, props: { dataset: { messageId: m.messageId, offset: String(m.offset), sender: m.senderId } } }));
    } else {
      const { item } = row;
      const props = { class: `pending ${item.status}`, dataset: { clientMsgId: item.clientMsgId, status: item.status } };
      fragment.append(messageRow({ ...row, grouped, props, extra: pendingExtra(item) }));
    }
    previous = row;
  }
  if (rows.length === 0 && isJoined(room)) {
    fragment.append(h('li', { class: 'no-messages muted' }, 'No messages yet. Say hello!'));
  }
  $('message-list').replaceChildren(fragment);
}

/** Re-renders the active room's messages, keeping the reader's place. */
function renderAfterMessages(room, { scroll } = {}) {
  renderRooms();
  if (room.id !== state.active) return;
  const box = $('messages');
  const nearBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
  const fromBottom = box.scrollHeight - box.scrollTop;
  renderMessages(room);
  renderHistoryControls(room);
  renderRoomHeader();
  renderRoomStatus(room);
  if (scroll === 'keep') box.scrollTop = box.scrollHeight - fromBottom;
  else if (scroll === 'bottom' || nearBottom) box.scrollTop = box.scrollHeight;
}

function renderPending(room) {
  renderAfterMessages(room);
}

function renderComposerState() {
  const room = activeRoom();
  const input = $('composer-input');
  const length = input.value.length;
  const max = state.config?.protocol.maxBodyLength ?? 4000;
  const blocked = !room || (room.error && !room.error.transient);
  input.disabled = Boolean(blocked);
  input.placeholder = room ? `Message ${roomTitle(room.id).replace(/^([#@]) /, '$1')}` : 'Write a message';
  $('composer-send').disabled = Boolean(blocked) || input.value.trim().length === 0 || length > max;
  const count = $('composer-count');
  count.textContent = length > max - 500 ? `${max - length} characters left` : '';
  count.classList.toggle('over', length > max);
}

function renderAll({ scroll } = {}) {
  renderRooms();
  const room = activeRoom();
  show($('empty-state'), !room);
  show($('room-view'), Boolean(room));
  if (room) {
    room.unread = 0;
    renderRooms();
    renderAfterMessages(room, { scroll });
  }
  renderComposerState();
}

function renderMe() {
  const { userId, name } = state.session;
  const me = $('me-avatar');
  me.textContent = (userId[0] ?? '?').toUpperCase();
  me.style.setProperty('--hue', String(hue(userId)));
  $('me-name').textContent = name && name !== userId ? `${name} (${userId})` : userId;
}

function setView(view) {
  document.body.dataset.view = view;
  show($('signin-view'), view === 'signin');
  show($('chat-view'), view === 'chat');
}

// ---------------------------------------------------------------------------------------------
// Sign-in / sign-out
// ---------------------------------------------------------------------------------------------

function showSignIn(message, userId) {
  setView('signin');
  renderGatewayChoices();
  const devTokens = state.config.devTokens;
  show($('signin-dev-fields'), devTokens);
  show($('signin-token-field'), !devTokens);
  $('signin-intro').textContent = devTokens
    ? 'Local development sign-in: choose any user name and this server signs a token for it.'
    : 'Sign in with an access token for the chat gateways.';
  if (userId) $('signin-user').value = userId;
  const error = $('signin-error');
  error.textContent = message ?? '';
  show(error, Boolean(message));
  (devTokens ? $('signin-user') : $('signin-token')).focus();
}

async function onSignIn(event) {
  event.preventDefault();
  const error = $('signin-error');
  const fail = (text) => {
    error.textContent = text;
    show(error, true);
  };
  show(error, false);
  let session;
  if (state.config.devTokens) {
    const userId = $('signin-user').value.trim();
    const name = $('signin-name').value.trim();
    if (!state.patterns.userId.test(userId)) {
      fail('A user name is 1–64 characters: letters, digits, _ . -');
      return;
    }
    const button = $('signin-submit');
    button.disabled = true;
    try {
      const res = await fetch('/dev/token', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(name ? { userId, name } : { userId }),
      });
      const body = await res.json().catch(() => null);
      if (!res.ok || typeof body?.token !== 'string') {
        fail(body?.error?.message ? `Sign-in failed: ${body.error.message}` : `Sign-in failed (HTTP ${res.status}).`);
        return;
      }
      session = { userId, name: name || userId, token: body.token };
    } catch {
      fail('Cannot reach the web server.');
      return;
    } finally {
      button.disabled = false;
    }
  } else {
    const token = $('signin-token').value.trim();
    const claims = decodeToken(token);
    if (!claims || typeof claims.sub !== 'string' || !state.patterns.userId.test(claims.sub)) {
      fail('That does not look like a chat token (a JWT whose sub is a user id).');
      return;
    }
    if (tokenExpired(token)) {
      fail('That token has expired.');
      return;
    }
    session = { userId: claims.sub, name: typeof claims.name === 'string' ? claims.name : claims.sub, token };
  }
  startChat(session);
}

function startChat(session, rooms = [], active = null) {
  state.session = session;
  state.rooms = new Map(rooms.map((id) => [id, createRoom(id)]));
  state.active = active && state.rooms.has(active) ? active : (rooms[0] ?? null);
  state.presence.clear();
  saveSession();
  setView('chat');
  renderMe();
  renderGatewayChoices();
  renderAll({ scroll: 'bottom' });
  connect();
  $('join-input').focus();
}

function signOut(message) {
  const userId = state.session?.userId;
  disconnect();
  for (const room of state.rooms.values()) {
    clearTimeout(room.joinTimer);
    for (const item of room.pending.values()) clearTimeout(item.timer);
  }
  state.session = null;
  state.rooms = new Map();
  state.active = null;
  saveSession();
  showSignIn(message, userId);
}

// ---------------------------------------------------------------------------------------------
// Wiring
// ---------------------------------------------------------------------------------------------

function autoGrow(textarea) {
  textarea.style.height = 'auto';
  textarea.style.height = `${Math.min(textarea.scrollHeight, 200)}px`;
}

function wire() {
  $('signin-form').addEventListener('submit', onSignIn);
  $('signout').addEventListener('click', () => signOut());

  $('join-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = $('join-input');
    const parsed = parseJoinInput(input.value);
    const error = $('join-error');
    if (parsed.error) {
      error.textContent = parsed.error;
      show(error, true);
      return;
    }
    show(error, false);
    input.value = '';
    openRoom(parsed.roomId);
  });
  $('join-input').addEventListener('input', () => show($('join-error'), false));

  $('leave-room').addEventListener('click', () => state.active && leaveRoom(state.active));
  $('load-older').addEventListener('click', () => {
    const room = activeRoom();
    if (room) loadOlder(room);
  });

  const input = $('composer-input');
  const submit = () => {
    const room = activeRoom();
    const body = input.value.replace(/\s+$/, '');
    if (!room || body.trim().length === 0 || body.length > state.config.protocol.maxBodyLength) return;
    input.value = '';
    autoGrow(input);
    renderComposerState();
    sendMessage(room, body);
  };
  $('composer').addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  input.addEventListener('input', () => {
    autoGrow(input);
    renderComposerState();
  });

  // Keep "retrying in N s" countdowns current.
  setInterval(() => {
    const room = activeRoom();
    if (room && [...room.pending.values()].some((p) => p.status === 'backoff')) renderPending(room);
  }, 1000);
}

async function boot() {
  wire();
  try {
    const res = await fetch('/config.json', { cache: 'no-store' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    state.config = await res.json();
  } catch (error) {
    setView('signin');
    const message = $('signin-error');
    message.textContent = `Cannot load /config.json (${error.message}). Is the web server running?`;
    show(message, true);
    return;
  }
  if (typeof io !== 'function') {
    setView('signin');
    const message = $('signin-error');
    message.textContent = 'The Socket.IO client did not load (/vendor/socket.io.min.js).';
    show(message, true);
    return;
  }
  state.patterns = {
    userId: new RegExp(state.config.protocol.userIdPattern),
    publicRoom: new RegExp(state.config.protocol.publicRoomPattern),
  };
  const saved = loadSession();
  if (saved && typeof saved.gateway === 'number' && saved.gateway >= 0 && saved.gateway < state.config.gateways.length) {
    state.gateway = saved.gateway;
  }
  if (saved && !tokenExpired(saved.session.token)) {
    startChat(saved.session, Array.isArray(saved.rooms) ? saved.rooms.filter((r) => typeof r === 'string') : [], saved.active);
  } else {
    showSignIn(saved ? 'Your session expired. Please sign in again.' : null, saved?.session?.userId);
  }
}

boot();
