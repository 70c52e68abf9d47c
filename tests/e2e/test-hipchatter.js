// hipchatter (npm), a HipChat REST v2 client library written against
// api.hipchat.com, driven against the emulator's API host: every call it
// offers that the emulator serves, with what hipchatter's own tests expected
// of the real server (its test/ folder) and the shapes HipChat's REST
// reference gives. Run by test-hipchatter.py, which starts the emulator and
// installs hipchatter; the environment says where: HIPCHAT_API_ROOT (…/v2/),
// HIPCHAT_TOKEN (Alice's, every scope), HIPCHAT_BOB_TOKEN (the default
// scopes), and NODE_EXTRA_CA_CERTS the emulator's CA.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const Hipchatter = require('hipchatter');

const root = process.env.HIPCHAT_API_ROOT;
const alice = new Hipchatter(process.env.HIPCHAT_TOKEN, root);
const bob = new Hipchatter(process.env.HIPCHAT_BOB_TOKEN, root);

// A hipchatter call as a promise of [body, status]; rejects with its error.
function call(client, method, ...args) {
  return new Promise((resolve, reject) => {
    client[method](...args, (err, body, status) => (err ? reject(err) : resolve([body, status])));
  });
}

const ROOM = 'Hipchatter';  // hipchatter does not escape paths: a name without spaces

test('capabilities, without a token', async () => {
  const [caps] = await call(alice, 'capabilities');
  assert.strictEqual(caps.capabilities.hipchatApiProvider.url, root);
  assert.ok(caps.capabilities.oauth2Provider.tokenUrl.endsWith('/v2/oauth/token'));
  assert.ok('view_group' in caps.capabilities.hipchatApiProvider.availableScopes);
});

test('rooms: the ones Alice may see, not archived ones', async () => {
  const [rooms] = await call(alice, 'rooms');
  assert.deepStrictEqual(rooms.map((r) => r.name), ['Dev', 'Random', 'Ops', 'Design', 'Support']);
  const dev = rooms[0];
  assert.strictEqual(dev.id, 22087);
  assert.strictEqual(dev.xmpp_jid, '10804_dev@conf.hipchat.com');
  assert.ok(dev.links.self.endsWith('/v2/room/22087'));
});

test('a room, by name or id, and a room that is not there', async () => {
  const [room] = await call(alice, 'get_room', 'Dev');
  assert.strictEqual(room.topic, 'Ship it');
  assert.strictEqual(room.owner.name, 'Alice Example');
  assert.strictEqual(room.privacy, 'public');
  assert.deepStrictEqual(room.participants, []);
  const [same] = await call(alice, 'get_room', '22087');
  assert.strictEqual(same.name, 'Dev');
  await assert.rejects(call(alice, 'get_room', 'Nowhere'), /Room Nowhere not found/);
  assert.deepStrictEqual(await new Promise((r) => alice.room_exists('Nowhere', (e, x) => r([e, x]))),
                         [null, false]);
});

test('history: the room\'s messages, oldest first, people as objects', async () => {
  const [history] = await call(alice, 'history', 'Dev');
  const messages = history.items.map((m) => m.message);
  assert.deepStrictEqual(messages.slice(0, 2), ['Morning! Release branch is cut.',
                                                'Great, I\'ll run the smoke tests @BobTest']);
  assert.strictEqual(history.items[0].from.name, 'Bob Test');
  assert.strictEqual(history.items[1].mentions[0].mention_name, 'BobTest');
  const jenkins = history.items.find((m) => m.type === 'notification');
  assert.strictEqual(jenkins.from, 'Jenkins');
  assert.strictEqual(jenkins.color, 'green');
  assert.match(history.items[0].date, /^2025-11-23T11:56:40\.\d{6}\+00:00$/);
  await assert.rejects(call(alice, 'history', 'Nowhere'), /not found/);
});

test('users and a user', async () => {
  const [users] = await call(alice, 'users');
  assert.strictEqual(users.length, 10);
  assert.strictEqual(users[1].name, 'Bob Test');
  const [page] = await call(alice, 'users', { 'start-index': 8, 'max-results': 5 });
  assert.deepStrictEqual(page.map((u) => u.mention_name), ['IvanP', 'JudyA']);
  const [user] = await call(alice, 'view_user', 'bob@example.com');
  assert.strictEqual(user.title, 'Release manager');
  assert.strictEqual(user.xmpp_jid, '10804_204365@chat.hipchat.com');
  const [byMention] = await call(alice, 'view_user', '@BobTest');
  assert.strictEqual(byMention.id, 204365);
  await assert.rejects(call(alice, 'view_user', 'nobody@example.com'), /User not found/);
});

test('emoticons: all, a page, one by id or shortcut', async () => {
  const [all] = await call(alice, 'emoticons');
  assert.deepStrictEqual(all.map((e) => e.shortcut), ['lolwut', 'allthethings', 'troll']);
  assert.ok(all[2].url.endsWith('/emoticons/10804/troll.png'));
  const [group] = await call(alice, 'emoticons', { type: 'group' });
  assert.deepStrictEqual(group.map((e) => e.shortcut), ['troll']);
  const [two] = await call(alice, 'emoticons', { 'max-results': 2 });
  assert.strictEqual(two.length, 2);
  const [byId] = await call(alice, 'emoticons', 41);
  assert.strictEqual(byId.shortcut, 'allthethings');
  const [byShortcut] = await call(alice, 'get_emoticon', 'troll');
  assert.strictEqual(byShortcut.id, 560651);
});

test('a room created, shown, changed, its topic set, then deleted', async () => {
  const [made, status] = await call(alice, 'create_room', { name: ROOM, topic: 'Made by REST' });
  assert.strictEqual(status, 201);
  assert.strictEqual(typeof made.id, 'number');
  await assert.rejects(call(alice, 'create_room', { name: ROOM }),
                       /Another room exists with that name\./);
  const [room] = await call(alice, 'get_room', ROOM);
  assert.strictEqual(room.xmpp_jid, '10804_hipchatter@conf.hipchat.com');
  assert.strictEqual(room.topic, 'Made by REST');
  const [, updated] = await call(alice, 'update_room', {
    name: ROOM, privacy: 'private', is_archived: false, is_guest_accessible: true,
    topic: 'New Topic', owner: { id: room.owner.id },
  });
  assert.strictEqual(updated, 204);
  const [changed] = await call(alice, 'get_room', ROOM);
  assert.strictEqual(changed.privacy, 'private');
  assert.strictEqual(changed.topic, 'New Topic');
  assert.match(changed.guest_access_url, /^https:\/\//);
  await call(alice, 'set_topic', ROOM, 'Test Topic');
  const [topical] = await call(alice, 'get_room', ROOM);
  assert.strictEqual(topical.topic, 'Test Topic');
  await call(alice, 'delete_room', ROOM);
  await assert.rejects(call(alice, 'get_room', ROOM), /not found/);
});

test('members, invites, messages and notifications in a room', async () => {
  await call(alice, 'create_room', { name: ROOM, privacy: 'private' });
  await assert.rejects(call(bob, 'get_room', ROOM), /not found/);  // private, Bob not in it
  const member = { room_name: ROOM, user_email: 'bob@example.com' };
  const [, added] = await call(alice, 'add_member', member);
  assert.strictEqual(added, 204);
  const [visible] = await call(bob, 'get_room', ROOM);
  assert.strictEqual(visible.name, ROOM);
  const [, invited] = await call(alice, 'invite_member', member, { reason: 'Come along' });
  assert.strictEqual(invited, 204);
  const [, removed] = await call(alice, 'delete_member', member);
  assert.strictEqual(removed, 204);
  await assert.rejects(call(bob, 'get_room', ROOM), /not found/);

  const [sent, status] = await call(alice, 'send_room_message', ROOM, 'Room message');
  assert.strictEqual(status, 201);
  assert.match(sent.id, /^[0-9a-f-]{36}$/);
  await call(alice, 'notify', ROOM, { message: 'Build passed', color: 'green',
                                      token: process.env.HIPCHAT_TOKEN });
  await call(alice, 'notify', ROOM, 'Convenience form', process.env.HIPCHAT_TOKEN);
  const [history] = await call(alice, 'history', ROOM);
  assert.deepStrictEqual(history.items.map((m) => m.message),
                         ['Room message', 'Build passed', 'Convenience form']);
  assert.strictEqual(history.items[0].id, sent.id);
  assert.strictEqual(history.items[1].from, 'Alice Example');
  await call(alice, 'delete_room', ROOM);
});

test('webhooks: created, listed, shown, deleted one and all', async () => {
  await call(alice, 'create_room', { name: ROOM });
  const hook = { url: 'https://example.com/hook', pattern: 'test', event: 'room_message',
                 name: 'hipchatter test' };
  const [made] = await call(alice, 'create_webhook', ROOM, hook);
  assert.ok(made.links.self.endsWith(`/webhook/${made.id}`));
  await call(alice, 'create_webhook', ROOM, hook);
  const [list] = await call(alice, 'webhooks', ROOM);
  assert.strictEqual(list.items.length, 2);
  const [one] = await call(alice, 'get_webhook', ROOM, made.id);
  assert.strictEqual(one.url, hook.url);
  assert.strictEqual(one.creator.name, 'Alice Example');
  await assert.rejects(call(alice, 'create_webhook', ROOM, { url: hook.url, event: 'nothing' }),
                       /Unknown event/);
  await call(alice, 'delete_webhook', ROOM, made.id);
  const [fewer] = await call(alice, 'webhooks', ROOM);
  assert.strictEqual(fewer.items.length, 1);
  await call(alice, 'delete_all_webhooks', ROOM);
  const [none] = await call(alice, 'webhooks', ROOM);
  assert.strictEqual(none.items.length, 0);
  await call(alice, 'delete_room', ROOM);
});

test('a private message', async () => {
  const [, status] = await call(alice, 'send_private_message', 'bob@example.com',
                                { message: 'Private message for you' });
  assert.strictEqual(status, 204);
  await assert.rejects(call(alice, 'send_private_message', 'bob@example.com', { message: '' }),
                       /1 to 10000 characters/);
});

test('scopes and rights: what Bob\'s token may not do', async () => {
  await assert.rejects(call(bob, 'create_room', { name: 'Bobs' }),
                       /This action requires one of the following scopes: \[manage_rooms\]/);
  await assert.rejects(call(bob, 'set_topic', 'Dev', 'Mine'), /scopes: \[admin_room\]/);
  await assert.rejects(call(alice, 'get_room', 'Dev').then(() =>
    call(new Hipchatter('no-such-token', root), 'rooms')), /Invalid OAuth session/);
});
