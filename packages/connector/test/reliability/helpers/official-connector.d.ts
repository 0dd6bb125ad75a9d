// @logto/connector-twilio-sms ships no types; the reliability tests use it as an oracle.
declare module '@logto/connector-twilio-sms' {
  import type { CreateConnector, SmsConnector } from '@logto/connector-kit';

  const createTwilioSmsConnector: CreateConnector<SmsConnector>;
  export default createTwilioSmsConnector;
}
