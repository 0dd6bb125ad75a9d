// The one message every sender sends: the same account, sender, destination and template, so they
// are compared on equal terms. Fake credentials; the fake endpoint checks them.
export const accountSID = `AC${'0123456789abcdef'.repeat(2)}`;
export const authToken = 'bench-auth-token-0123456789abcdef';
export const messagingServiceSID = `MG${'fedcba9876543210'.repeat(2)}`;
export const to = '+14155552671';
export const authorization = `Basic ${Buffer.from(`${accountSID}:${authToken}`).toString('base64')}`;
export const messagesUrl = `https://api.twilio.com/2010-04-01/Accounts/${accountSID}/Messages.json`;

const validity = 'The code will remain active for 10 minutes.';
export const connectorConfig = {
  accountSID,
  authToken,
  fromMessagingServiceSID: messagingServiceSID,
  templates: [
    { usageType: 'SignIn', content: `Your Logto sign-in verification code is {{code}}. ${validity}` },
    { usageType: 'Register', content: `Your Logto sign-up verification code is {{code}}. ${validity}` },
    { usageType: 'ForgotPassword', content: `Your Logto password change verification code is {{code}}. ${validity}` },
    { usageType: 'Generic', content: `Your Logto verification code is {{code}}. ${validity}` },
  ],
};

export const body = (code) => `Your Logto sign-in verification code is ${code}. ${validity}`;
export const code = (serial) => String(100_000 + (serial % 900_000));
