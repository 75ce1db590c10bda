// What a widget page would load: the OpenFeature web SDK with the OFREP web provider, as published on npm.
import { OpenFeature, ProviderEvents } from '@openfeature/web-sdk';
import { OFREPWebProvider } from '@openfeature/ofrep-web-provider';

window.OpenFeature = OpenFeature;
window.ProviderEvents = ProviderEvents;
window.OFREPWebProvider = OFREPWebProvider;
