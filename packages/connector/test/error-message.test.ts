import { ConnectorError, ConnectorErrorCodes, connectorErrorMessage } from '../src/index.js';

describe('connectorErrorMessage', () => {
  it('is the sentence in the data, else the code: never connector-kit’s JSON of the data', () => {
    expect(connectorErrorMessage(new ConnectorError(ConnectorErrorCodes.General, 'Twilio said no'))).toBe('Twilio said no');
    expect(
      connectorErrorMessage(new ConnectorError(ConnectorErrorCodes.InvalidConfig, { message: 'Fix from', field: 'from' }))
    ).toBe('Fix from');
    const withoutSentence = new ConnectorError(ConnectorErrorCodes.InvalidRequestParameters, { code: 21610 });
    expect(withoutSentence.message).toContain('21610');
    expect(connectorErrorMessage(withoutSentence)).toBe('invalid_request_parameters');
    expect(connectorErrorMessage(new ConnectorError(ConnectorErrorCodes.General))).toBe('general');
  });
});
