// A real OpenID Connect provider for the single sign-on tests, on loopback.
// Configured by the environment: OIDC_PORT, OIDC_CLIENTS (JSON list of
// {client_id, client_secret, redirect_uris}) and OIDC_ACCOUNTS (JSON object:
// login -> {email, email_verified}). Sign-in uses oidc-provider's own
// development login and consent pages (any password is accepted). Prints
// "ready" when it listens.
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS);
const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: JSON.parse(process.env.OIDC_CLIENTS),
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  cookies: { keys: ['invented-test-cookie-key'] },
  pkce: { required: () => false },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    const found = accounts[id];
    if (!found) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, name: id, email: found.email, email_verified: found.email_verified };
      },
    };
  },
});
provider.listen(port, '127.0.0.1', () => console.log('ready'));
