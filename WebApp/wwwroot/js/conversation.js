// The conversation page: appends messages as they are stored, without a reload.
import { getJson, messageText, readStrings, startLive, timeElement } from './live.js';

const list = document.getElementById('messages');
const scroller = document.querySelector('[data-scroll]');
const empty = document.querySelector('[data-empty]');
const { conversationId, timeZone, contactName } = list.dataset;
const strings = readStrings(list);

const senderLabel = sender => sender === 'contact' ? contactName : (strings[`Sender.${sender ?? 'assistant'}`] ?? sender);

// Mirrors MessageBubble.razor.
function render(message) {
    const item = document.createElement('li');
    item.className = `message message--${message.direction} message--fresh`;
    item.dataset.testid = 'message';
    item.dataset.direction = message.direction;
    item.dataset.messageId = message.messageId;
    item.dataset.createdAt = message.createdAt;

    const bubble = document.createElement('div');
    bubble.className = 'bubble';
    bubble.textContent = messageText(message.contentType, message.text, strings);

    const meta = document.createElement('div');
    meta.className = 'meta';
    const sender = document.createElement('span');
    sender.className = 'sender';
    sender.textContent = senderLabel(message.sender);
    meta.append(sender, timeElement(message.createdAt, timeZone, false));

    item.append(bubble, meta);
    return item;
}

function add(message) {
    if (message.conversationId !== conversationId) return;
    // The hub and the catch-up can both deliver a message: the first one wins.
    if (list.querySelector(`[data-message-id="${message.messageId}"]`)) return;

    const nearBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 120;
    const at = Date.parse(message.createdAt);
    const later = [...list.children].find(item => Date.parse(item.dataset.createdAt) > at);
    list.insertBefore(render(message), later ?? null);
    empty.hidden = true;
    if (nearBottom) scroller.scrollTop = scroller.scrollHeight;
}

function newestCreatedAt() {
    let newest;
    for (const item of list.children) {
        if (!newest || Date.parse(item.dataset.createdAt) > Date.parse(newest)) newest = item.dataset.createdAt;
    }
    return newest;
}

async function catchUp() {
    const after = newestCreatedAt();
    const query = after ? `?after=${encodeURIComponent(after)}` : '';
    const missed = await getJson(`/api/conversations/${conversationId}/messages${query}`);
    for (const message of missed ?? []) add(message);
}

scroller.scrollTop = scroller.scrollHeight;

startLive({
    strings,
    // Every connection is in its tenant's group as well; the list's updates are of no use on this page.
    handlers: { messageAdded: add, conversationUpdated: () => {} },
    onConnected: async connection => {
        await connection.invoke('JoinConversation', conversationId);
        await catchUp();
    },
});
