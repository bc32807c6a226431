// The conversation list: a conversation with new activity moves to the top, and a new one appears, without a reload.
import { getJson, initial, messageText, readStrings, startLive, timeElement } from './live.js';

const list = document.getElementById('conversation-list');
const empty = document.querySelector('[data-empty]');
const { timeZone } = list.dataset;
// A filtered list (or a later page) only refreshes the rows it shows: whether a new conversation belongs is the server's call.
const filtered = list.dataset.filtered === 'true';
const strings = readStrings(list);

const rowOf = id => list.querySelector(`li[data-conversation-id="${id}"]`);
const lastActivity = row => Date.parse(row.querySelector('time').dateTime);

function setPreview(row, direction, contentType, text) {
    const preview = row.querySelector('.preview');
    preview.classList.toggle('preview--outbound', direction === 'outbound');
    preview.textContent = contentType ? messageText(contentType, text, strings) : '';
}

function setTime(row, iso) {
    row.querySelector('time').replaceWith(timeElement(iso, timeZone, true, 'conversation-time'));
}

function markFresh(row) {
    row.classList.add('is-fresh');
    if (!row.querySelector('.fresh-badge')) {
        const badge = document.createElement('span');
        badge.className = 'fresh-badge';
        badge.textContent = strings['Conversations.NewActivity'];
        row.querySelector('.conversation-top').append(badge);
    }
}

// Mirrors the row markup of ConversationsPage.razor.
function render(item) {
    const row = document.createElement('li');
    row.dataset.conversationId = item.id;
    row.innerHTML = `
        <a class="conversation-row" data-testid="conversation-link">
            <span class="avatar"></span>
            <span class="conversation-main">
                <span class="conversation-top"><strong class="contact-name"></strong><span class="channel"></span><time class="conversation-time"></time></span>
                <span class="conversation-bottom"><span class="external-id"></span><span class="preview"></span></span>
            </span>
        </a>`;
    row.querySelector('a').href = `/conversations/${item.id}`;
    const avatar = row.querySelector('.avatar');
    avatar.classList.add(`avatar--${item.channelType}`);
    avatar.textContent = initial(item.contactName);
    row.querySelector('.contact-name').textContent = item.contactName;
    const channel = row.querySelector('.channel');
    channel.classList.add(`channel--${item.channelType}`);
    channel.textContent = strings[`Channel.${item.channelType}`] ?? item.channelType;
    const externalId = row.querySelector('.external-id');
    if (item.contactExternalId === item.contactName) externalId.remove();
    else externalId.textContent = item.contactExternalId;
    setTime(row, item.lastMessageAt);
    setPreview(row, item.direction, item.contentType, item.text);
    return row;
}

function moveToTop(row) {
    list.prepend(row);
    empty.hidden = true;
}

async function onConversationUpdated(activity) {
    const row = rowOf(activity.conversationId);
    if (!row) {
        if (filtered) return;
        const item = await getJson(`/api/conversations/${activity.conversationId}`);
        if (!item || rowOf(item.id)) return;
        const created = render(item);
        markFresh(created);
        return moveToTop(created);
    }
    if (Date.parse(activity.lastMessageAt) < lastActivity(row)) return; // an older event arriving late
    setTime(row, activity.lastMessageAt);
    setPreview(row, activity.direction, activity.contentType, activity.text);
    markFresh(row);
    moveToTop(row);
}

// After a (re)connect, bring the list in line with the server: changed rows are refreshed and marked, the order restored.
async function catchUp() {
    const items = await getJson('/api/conversations');
    if (!items) return;
    for (const item of [...items].reverse()) {
        let row = rowOf(item.id);
        if (!row) {
            if (filtered) continue;
            row = render(item);
            markFresh(row);
        } else if (Date.parse(item.lastMessageAt) > lastActivity(row)) {
            setTime(row, item.lastMessageAt);
            setPreview(row, item.direction, item.contentType, item.text);
            markFresh(row);
        }
        moveToTop(row);
    }
}

startLive({ strings, handlers: { conversationUpdated: onConversationUpdated }, onConnected: catchUp });
