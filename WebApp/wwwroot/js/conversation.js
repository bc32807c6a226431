// The conversation page: appends messages as they are stored, without a reload.
import { getJson, messageText, readStrings, startLive, timeElement } from './live.js';

const list = document.getElementById('messages');
const scroller = document.querySelector('[data-scroll]');
const empty = document.querySelector('[data-empty]');
const { conversationId, timeZone, contactName } = list.dataset;
const strings = readStrings(list);

const senderLabel = message => message.sender === 'contact' ? contactName
    : (message.agentName ?? strings[`Sender.${message.sender ?? 'assistant'}`] ?? message.sender);

function mapUrl(location) {
    if (location.url && /^https?:\/\//.test(location.url)) return location.url;
    return `https://www.openstreetmap.org/?mlat=${location.latitude}&mlon=${location.longitude}#map=16/${location.latitude}/${location.longitude}`;
}

function mediaLabel(contentType, media) {
    const label = `[${strings[`Content.${contentType}`] ?? contentType}]`;
    return media.fileName ? `${label} ${media.fileName}` : label;
}

// A file: an image or sticker is shown, any other file is a link to it; without a URL (not stored yet), its label.
function mediaContent(contentType, url, label) {
    if (url && (contentType === 'image' || contentType === 'sticker')) {
        const image = document.createElement('img');
        image.src = url;
        image.alt = strings[`Content.${contentType}`] ?? contentType;
        image.loading = 'lazy';
        return image;
    }
    const element = document.createElement(url ? 'a' : 'span');
    if (url) {
        element.href = url;
        element.target = '_blank';
        element.rel = 'noopener noreferrer';
    }
    element.textContent = label;
    return element;
}

// The bubble's content: a location link, a file, or the text.
function fillBubble(bubble, message) {
    if (message.location) {
        const { location } = message;
        const link = document.createElement('a');
        link.className = 'location';
        link.dataset.testid = 'location';
        link.href = mapUrl(location);
        link.target = '_blank';
        link.rel = 'noopener noreferrer';
        link.textContent = `📍 ${location.name ?? location.address ?? `${location.latitude}, ${location.longitude}`}`;
        bubble.append(link);
        return;
    }
    if (message.media) {
        const media = document.createElement('span');
        media.className = 'media';
        media.dataset.testid = 'media';
        media.dataset.mediaType = message.contentType;
        media.append(mediaContent(message.contentType, message.media.url, mediaLabel(message.contentType, message.media)));
        bubble.append(media);
        if (message.text) {
            const caption = document.createElement('span');
            caption.className = 'caption';
            caption.textContent = message.text;
            bubble.append(caption);
        }
        return;
    }
    bubble.textContent = messageText(message.contentType, message.text, strings);
}

// A customer's file was stored after its message was shown (media.fetch downloads it afterwards): show our copy.
function mediaStored(change) {
    if (change.conversationId !== conversationId || !change.url) return;
    const media = list.querySelector(`[data-message-id="${change.messageId}"] [data-testid="media"]`);
    if (!media || media.querySelector('img, a')) return;
    media.replaceChildren(mediaContent(media.dataset.mediaType, change.url, media.textContent.trim()));
}

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
    fillBubble(bubble, message);

    const meta = document.createElement('div');
    meta.className = 'meta';
    const sender = document.createElement('span');
    sender.className = 'sender';
    sender.dataset.testid = 'message-sender';
    sender.textContent = senderLabel(message);
    meta.append(sender, timeElement(message.createdAt, timeZone, false));
    if (message.deliveryStatus) meta.append(deliveryElement(message.deliveryStatus, message.deliveryError));

    item.append(bubble, meta);
    return item;
}

function deliveryElement(status, error) {
    const delivery = document.createElement('span');
    delivery.className = `delivery delivery--${status}`;
    delivery.dataset.testid = 'delivery-status';
    delivery.dataset.status = status;
    delivery.textContent = (strings[`Delivery.${status}`] ?? status) + (error ? ` (${error})` : '');
    if (error) delivery.title = error;
    return delivery;
}

// The channel reported a new state for one of our messages (sent, delivered, read, failed): replace its label.
function deliveryChanged(change) {
    if (change.conversationId !== conversationId) return;
    const meta = list.querySelector(`[data-message-id="${change.messageId}"] .meta`);
    if (!meta || !change.status) return;
    const current = meta.querySelector('[data-testid="delivery-status"]');
    if (current && current.dataset.status === change.status && (current.title || null) === (change.error || null)) return;
    const updated = deliveryElement(change.status, change.error);
    if (current) current.replaceWith(updated);
    else meta.append(updated);
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

function oldestCreatedAt() {
    let oldest;
    for (const item of list.children) {
        if (!oldest || Date.parse(item.dataset.createdAt) < Date.parse(oldest)) oldest = item.dataset.createdAt;
    }
    return oldest;
}

// After a (re)connect: what happened while the page was not listening. Pushes are not replayed, so both the new
// messages and the delivery states of the messages shown (a "read" notified during the gap) come from the server.
async function catchUp() {
    const since = oldestCreatedAt();
    const query = since ? `?after=${encodeURIComponent(since)}` : '';
    const current = await getJson(`/api/conversations/${conversationId}/messages${query}`);
    for (const message of current ?? []) {
        add(message);
        if (message.media?.url) mediaStored({ conversationId, messageId: message.messageId, url: message.media.url });
        if (message.deliveryStatus) {
            deliveryChanged({ conversationId, messageId: message.messageId, status: message.deliveryStatus, error: message.deliveryError });
        }
    }
}

// State, handoff or notes changed (another agent, the assistant, the lifecycle, the API): the header, the actions and
// the notes are the server's to render, so the page reloads, unless the agent is typing, then it offers to.
const page = document.querySelector('[data-testid="conversation"]');
const banner = document.querySelector('[data-live-changed]');
banner.querySelector('[data-reload]').addEventListener('click', () => location.reload());

function changed(change) {
    if (change.conversationId !== conversationId) return;
    if (change.version !== null && change.version <= Number(page.dataset.version)) return;
    if (change.noteId && document.querySelector(`[data-note-id="${change.noteId}"]`)) return;
    const typing = [...document.querySelectorAll('textarea')].some(field => field.value.trim() !== '');
    if (typing) banner.hidden = false;
    else location.reload();
}

scroller.scrollTop = scroller.scrollHeight;

startLive({
    strings,
    // Every connection is in its tenant's group as well; the list's updates are of no use on this page.
    handlers: { messageAdded: add, conversationUpdated: () => {}, conversationChanged: changed, deliveryChanged, mediaStored },
    onConnected: async connection => {
        await connection.invoke('JoinConversation', conversationId);
        await catchUp();
    },
});
