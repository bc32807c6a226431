// The pages' live connection to /hubs/conversations, shared by the list and the conversation page.
// It never gives up: SignalR's automatic reconnect with a capped backoff, then a fresh start if the connection closes.
// After every (re)connect the page's onConnected runs, which re-joins groups and fetches what was missed.

export function readStrings(element) {
    return JSON.parse(element.dataset.strings || '{}');
}

export function startLive({ strings, handlers, onConnected }) {
    const status = document.querySelector('[data-live-status]');
    const setStatus = (state, key) => {
        if (!status) return;
        status.dataset.state = state;
        status.textContent = strings[key] ?? state;
    };

    // A reconnect refused with 401 means the session ended (user removed, tenant suspended): stop retrying, and the
    // close handler takes the agent to the sign-in page.
    let signedOut = false;
    const connection = new signalR.HubConnectionBuilder()
        .withUrl('/hubs/conversations')
        .withAutomaticReconnect({
            nextRetryDelayInMilliseconds: ({ previousRetryCount, retryReason }) => {
                if (isSignedOut(retryReason)) {
                    signedOut = true;
                    return null;
                }
                return Math.min(30000, 1000 * 2 ** Math.min(previousRetryCount, 5)) + Math.random() * 1000;
            },
        })
        .configureLogging(signalR.LogLevel.Warning)
        .build();

    for (const [name, handler] of Object.entries(handlers)) {
        connection.on(name, handler);
    }

    let retryTimer;
    const retryLater = () => {
        clearTimeout(retryTimer);
        retryTimer = setTimeout(start, 5000);
    };

    const connected = async () => {
        try {
            await onConnected(connection);
            setStatus('connected', 'Live.Connected');
        } catch (error) {
            if (isSignedOut(error)) return location.reload();
            console.warn('Live updates: catching up failed', error);
            setStatus('connected', 'Live.Connected');
        }
    };

    async function start() {
        try {
            await connection.start();
            await connected();
        } catch (error) {
            // A 401 means the session ended: reloading takes the agent to the sign-in page.
            if (isSignedOut(error)) return location.reload();
            setStatus('offline', 'Live.Offline');
            retryLater();
        }
    }

    connection.onreconnecting(() => setStatus('reconnecting', 'Live.Reconnecting'));
    connection.onreconnected(connected);
    connection.onclose(() => {
        if (signedOut) return location.reload();
        setStatus('offline', 'Live.Offline');
        retryLater();
    });

    setStatus('connecting', 'Live.Connecting');
    start();
    return connection;
}

export async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    if (response.status === 401) {
        throw Object.assign(new Error('Signed out'), { statusCode: 401 });
    }
    return response.ok ? response.json() : null;
}

// SignalR wraps a refused negotiation in an error that keeps the status only in its message ("Status code '401'").
function isSignedOut(error) {
    return error?.statusCode === 401 || /Status code '401'/.test(error?.message ?? '');
}

// Same rules as MessageDisplay.Text on the server.
export function messageText(contentType, text, strings) {
    if (contentType === 'text') return text ?? '';
    const label = `[${strings[`Content.${contentType}`] ?? contentType}]`;
    return text ? `${label} ${text}` : label;
}

// Today's times as a time only (compact), otherwise date and time; always in the tenant's time zone.
// Date and time are formatted apart and joined with a space, as .NET's "d", "t" and "g" do on the server.
export function formatTime(iso, timeZone, compact) {
    const date = new Date(iso);
    const locale = document.documentElement.lang || undefined;
    const format = options => new Intl.DateTimeFormat(locale, { timeZone, ...options }).format(date);
    const day = () => format({ year: 'numeric', month: 'numeric', day: 'numeric' });
    const time = () => format({ hour: 'numeric', minute: '2-digit' });
    if (!compact) return `${day()} ${time()}`;
    const dayKey = d => new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' }).format(d);
    return dayKey(date) === dayKey(new Date()) ? time() : day();
}

export function timeElement(iso, timeZone, compact, className) {
    const time = document.createElement('time');
    time.dateTime = iso;
    time.textContent = formatTime(iso, timeZone, compact);
    if (className) time.className = className;
    return time;
}

export function initial(name) {
    return (name || '?').trim().charAt(0).toUpperCase() || '?';
}
