// The collector's token, when it asks for one (401): kept in the tab's sessionStorage, so it
// lasts while the tab is open and never reaches the address bar, history or a shared link.

export const TOKEN_KEY = 'hearth.token';

// storage: sessionStorage (or a stand-in); prompt(why) → Promise of a token, or null to give up.
export function sessionAuth(storage, prompt) {
  let asking = null;
  return {
    token: () => storage.getItem(TOKEN_KEY),
    // A request answered 401 with `used` asks for a token. Requests failing together share one
    // question; one that failed with a token since replaced just retries with the new one.
    ask(why, used) {
      const now = storage.getItem(TOKEN_KEY);
      if (now && now !== used) return Promise.resolve(now);
      if (!asking) {
        asking = Promise.resolve(prompt(why)).then((t) => {
          asking = null;
          const token = t ? String(t).trim() : '';
          if (!token) { storage.removeItem(TOKEN_KEY); return null; }
          storage.setItem(TOKEN_KEY, token);
          return token;
        });
      }
      return asking;
    },
  };
}
