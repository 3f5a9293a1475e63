___TERMS_OF_SERVICE___

By creating or modifying this file you agree to Google Tag Manager's Community
Template Gallery Developer Terms of Service available at
https://developers.google.com/tag-manager/gallery-tos (or such other URL as
Google may provide), as modified from time to time.


___INFO___

{
  "type": "TAG",
  "id": "cvt_temp_public_id",
  "version": 1,
  "securityGroups": [],
  "displayName": "Symbiosys",
  "categories": [
    "CONVERSIONS",
    "ATTRIBUTION",
    "ADVERTISING"
  ],
  "brand": {
    "id": "github.com_acme",
    "displayName": "Acme"
  },
  "description": "Sends page views and orders to Symbiosys through its browser SDK (the tag script, loaded once per page). Orders default to the data layer's GA4 ecommerce object; GTM consent (ad_storage, ad_user_data) drives the SDK's consent.",
  "containerContexts": [
    "WEB"
  ]
}


___TEMPLATE_PARAMETERS___

[
  {
    "type": "TEXT",
    "name": "apiKey",
    "displayName": "API key",
    "simpleValueType": true,
    "help": "Your Symbiosys API key.",
    "valueValidators": [
      {
        "type": "NON_EMPTY"
      }
    ]
  },
  {
    "type": "SELECT",
    "name": "environment",
    "displayName": "Environment",
    "macrosInSelect": false,
    "selectItems": [
      {
        "value": "production",
        "displayValue": "Production"
      },
      {
        "value": "development",
        "displayValue": "Development (event.symbiosys.dev)"
      }
    ],
    "simpleValueType": true,
    "defaultValue": "production"
  },
  {
    "type": "SELECT",
    "name": "region",
    "displayName": "Region",
    "macrosInSelect": false,
    "selectItems": [
      {
        "value": "us",
        "displayValue": "US (event.symbiosys.ai)"
      },
      {
        "value": "eu",
        "displayValue": "EU (eu.event.symbiosys.ai)"
      }
    ],
    "simpleValueType": true,
    "defaultValue": "us",
    "help": "Production only."
  },
  {
    "type": "TEXT",
    "name": "endpoint",
    "displayName": "Endpoint (optional)",
    "simpleValueType": true,
    "help": "A base URL that wins over environment and region: a first-party proxy, or the local receiver (http://127.0.0.1:7878)."
  },
  {
    "type": "TEXT",
    "name": "scriptUrl",
    "displayName": "Tag script URL",
    "simpleValueType": true,
    "help": "Where dist/symbiosys.tag.js loads from. Empty: the version this template was made for, on unpkg. Self-hosting it needs the template's inject_script permission edited to match."
  },
  {
    "type": "SELECT",
    "name": "eventType",
    "displayName": "Event",
    "macrosInSelect": false,
    "selectItems": [
      {
        "value": "page_view",
        "displayValue": "Page view"
      },
      {
        "value": "order",
        "displayValue": "Order"
      }
    ],
    "simpleValueType": true,
    "defaultValue": "page_view"
  },
  {
    "type": "TEXT",
    "name": "productId",
    "displayName": "Product ID",
    "simpleValueType": true,
    "enablingConditions": [
      {
        "paramName": "eventType",
        "paramValue": "page_view",
        "type": "EQUALS"
      }
    ]
  },
  {
    "type": "TEXT",
    "name": "itemGroupId",
    "displayName": "Item group ID",
    "simpleValueType": true,
    "enablingConditions": [
      {
        "paramName": "eventType",
        "paramValue": "page_view",
        "type": "EQUALS"
      }
    ]
  },
  {
    "type": "TEXT",
    "name": "categoryId",
    "displayName": "Category ID",
    "simpleValueType": true,
    "enablingConditions": [
      {
        "paramName": "eventType",
        "paramValue": "page_view",
        "type": "EQUALS"
      }
    ]
  },
  {
    "type": "TEXT",
    "name": "sellerId",
    "displayName": "Seller ID",
    "simpleValueType": true,
    "enablingConditions": [
      {
        "paramName": "eventType",
        "paramValue": "page_view",
        "type": "EQUALS"
      }
    ]
  },
  {
    "type": "TEXT",
    "name": "brand",
    "displayName": "Brand",
    "simpleValueType": true,
    "enablingConditions": [
      {
        "paramName": "eventType",
        "paramValue": "page_view",
        "type": "EQUALS"
      }
    ]
  },
  {
    "type": "TEXT",
    "name": "orderId",
    "displayName": "Order ID",
    "simpleValueType": true,
    "help": "Empty: the data layer's ecommerce.transaction_id (GA4).",
    "enablingConditions": [
      {
        "paramName": "eventType",
        "paramValue": "order",
        "type": "EQUALS"
      }
    ]
  },
  {
    "type": "TEXT",
    "name": "items",
    "displayName": "Items",
    "simpleValueType": true,
    "help": "A variable holding GA4 items or the SDK's items. Empty: the data layer's ecommerce.items (GA4).",
    "enablingConditions": [
      {
        "paramName": "eventType",
        "paramValue": "order",
        "type": "EQUALS"
      }
    ]
  },
  {
    "type": "TEXT",
    "name": "customerData",
    "displayName": "Customer (order)",
    "simpleValueType": true,
    "help": "A variable holding the order's customer: the SDK's person (email, phone, first_name, \u2026) or Google's user-provided data (email, phone_number, address). Hashed by the SDK in the browser; sent only while ad_user_data is granted.",
    "enablingConditions": [
      {
        "paramName": "eventType",
        "paramValue": "order",
        "type": "EQUALS"
      }
    ]
  },
  {
    "type": "TEXT",
    "name": "userData",
    "displayName": "Signed-in user",
    "simpleValueType": true,
    "help": "A variable holding the signed-in user, in either shape, for the *_user fields. Sent only while ad_user_data is granted."
  }
]


___SANDBOXED_JS_FOR_WEB_TEMPLATE___

const Math = require('Math');
const addConsentListener = require('addConsentListener');
const callInWindow = require('callInWindow');
const copyFromDataLayer = require('copyFromDataLayer');
const copyFromWindow = require('copyFromWindow');
const createQueue = require('createQueue');
const getTimestampMillis = require('getTimestampMillis');
const getType = require('getType');
const injectScript = require('injectScript');
const isConsentGranted = require('isConsentGranted');
const makeNumber = require('makeNumber');
const makeString = require('makeString');
const setInWindow = require('setInWindow');
const templateStorage = require('templateStorage');

// BEGIN shared/ga4.js
// GA4's shapes mapped to the SDK's (docs: README, "Google Tag Manager").
// Pasted into both templates by scripts/build-gtm.mjs: sandboxed JavaScript
// imports nothing.
const present = (value) => value !== undefined && value !== null && value !== '';

/** A finite number from a number or a numeric string; undefined for anything else. */
function toNumber(value) {
  if (!present(value)) return undefined;
  const type = getType(value);
  if (type !== 'number' && type !== 'string') return undefined;
  const number = makeNumber(value);
  // Finite: NaN and ±Infinity minus themselves are NaN (the sandbox may not name Infinity).
  return getType(number) === 'number' && number - number === 0 ? number : undefined;
}

/** An id as the wire writes it: a string (GA4 sends strings or numbers). */
const toId = (value) => {
  const type = getType(value);
  return type === 'string' || type === 'number' ? makeString(value) : undefined;
};

/** Sums of prices without binary fractions showing (19.99 + 5.01 is 25, not 25.000000000000004). */
const roundPrice = (value) => Math.round(value * 1000000) / 1000000;

/**
 * One GA4 item as an order item: `item_id` -> `product_id`, `item_brand` ->
 * `brand`, `item_group_id` -> `item_group_id`, `item_category` ->
 * `category_id`, `quantity` (GA4 counts an item without one as 1). GA4's
 * `price` is the unit price after the unit `discount`. An item already in the
 * SDK's shape (`product_id`) is kept as it is.
 */
function ga4Item(item) {
  if (getType(item) !== 'object') return item;
  if (!present(item.item_id) && present(item.product_id)) return item;
  const out = {};
  const fields = [
    ['item_id', 'product_id'],
    ['item_group_id', 'item_group_id'],
    ['item_category', 'category_id'],
    ['item_brand', 'brand'],
  ];
  fields.forEach((pair) => {
    const value = toId(item[pair[0]]);
    if (value !== undefined) out[pair[1]] = value;
  });
  out.quantity = present(item.quantity) ? toNumber(item.quantity) : 1;
  const price = toNumber(item.price);
  const discount = toNumber(item.discount);
  if (price !== undefined && discount !== undefined && discount !== 0) {
    out.regular_unit_price = roundPrice(price + discount);
    out.discount_unit_price = price;
  } else if (price !== undefined) {
    out.regular_unit_price = price;
  }
  return out;
}

const ga4Items = (items) => (getType(items) === 'array' ? items.map(ga4Item) : undefined);

const firstOf = (value) => (getType(value) === 'array' ? value[0] : value);

/** Google's user-provided data (`email`, `phone_number`, `address`, `sha256_*`), as opposed to the SDK's person. */
function isGoogleShape(value) {
  const keys = ['email_address', 'phone_number', 'address', 'sha256_email_address', 'sha256_phone_number'];
  return keys.some((key) => value[key] !== undefined);
}

/**
 * A person in the SDK's shape, from the SDK's shape or Google's
 * user-provided data (web: `email`; server: `email_address`; `address` may
 * be a list: its first). Google's `sha256_*` values are hashes of the
 * normalized value: `sha256_phone_number` hashes the E.164 form (`+…`).
 */
function toPerson(value) {
  if (getType(value) !== 'object') return undefined;
  if (!isGoogleShape(value)) return value;
  const address = getType(firstOf(value.address)) === 'object' ? firstOf(value.address) : {};
  const person = {};
  const put = (field, given) => {
    const text = firstOf(given);
    if (present(text)) person[field] = text;
  };
  put('email', value.sha256_email_address || value.email_address || value.email);
  put('phone', value.phone_number);
  put('phone_e164', value.sha256_phone_number);
  put('first_name', address.sha256_first_name || address.first_name);
  put('last_name', address.sha256_last_name || address.last_name);
  put('city', address.city);
  put('state', address.region);
  put('zip_code', address.postal_code);
  put('country', address.country);
  return person;
}
// END shared/ga4.js

/** The tag script of this template's version, when `scriptUrl` is left empty. */
// BEGIN tag script
const DEFAULT_SCRIPT_URL = "https://unpkg.com/@acme/symbiosys@0.1.0/dist/symbiosys.tag.js";
// END tag script

/**
 * A call for the SDK. Before the tag script runs, it waits on the stub's
 * queue (`window.Symbiosys.q`) as the loader snippet records calls:
 * `[name, args, timestamp]`; the script replays them in order, each with its
 * own time (src/tag.ts). Once the script has replaced the stub, the call goes
 * to it at once.
 */
function call(name, args) {
  const loaded = getType(copyFromWindow('Symbiosys.' + name)) === 'function' && !copyFromWindow('Symbiosys.q');
  if (loaded) {
    callInWindow('Symbiosys.' + name, args[0], args[1]);
    return;
  }
  if (getType(copyFromWindow('Symbiosys')) !== 'object') setInWindow('Symbiosys', {}, false);
  createQueue('Symbiosys.q')([name, args, getTimestampMillis()]);
}

/**
 * GTM's consent drives the SDK's: `ad_storage` its consent (cookies and
 * storage), `ad_user_data` whether a person's data goes with events. Denied
 * at load means undecided to the SDK (`pending`: events wait in memory,
 * nothing is stored); a later denial is a withdrawal (`denied`: the SDK
 * clears what it stored).
 */
const storageConsent = () => (isConsentGranted('ad_storage') ? 'granted' : 'pending');
const userDataAllowed = () => isConsentGranted('ad_user_data');

function start() {
  const options = { apiKey: makeString(data.apiKey), consent: storageConsent() };
  if (data.environment === 'development') options.environment = 'development';
  if (data.region === 'eu') options.region = 'eu';
  if (present(data.endpoint)) options.endpoint = makeString(data.endpoint);
  call('init', [options]);
  addConsentListener('ad_storage', (type, granted) => call('setConsent', [granted ? 'granted' : 'denied']));
  addConsentListener('ad_user_data', (type, granted) => {
    if (!granted) call('identify', [null]);
  });
}

/** The page view's product fields, those given. */
function pageViewInput() {
  const input = {};
  const fields = [
    ['productId', 'product_id'],
    ['itemGroupId', 'item_group_id'],
    ['categoryId', 'category_id'],
    ['sellerId', 'seller_id'],
    ['brand', 'brand'],
  ];
  fields.forEach((pair) => {
    if (present(data[pair[0]])) input[pair[1]] = makeString(data[pair[0]]);
  });
  return input;
}

/** The order: its id and items as given, else the data layer's GA4 `ecommerce`. */
function orderInput(withCustomer) {
  const ecommerce = copyFromDataLayer('ecommerce');
  const fromDataLayer = getType(ecommerce) === 'object' ? ecommerce : {};
  const orderId = present(data.orderId) ? data.orderId : fromDataLayer.transaction_id;
  const input = { order_id: toId(orderId), items: ga4Items(present(data.items) ? data.items : fromDataLayer.items) };
  const customer = toPerson(data.customerData);
  if (withCustomer && customer) input.customer = customer;
  return input;
}

if (!templateStorage.getItem('started')) {
  templateStorage.setItem('started', true);
  start();
}

// The person goes only with `ad_user_data` granted; otherwise the profile kept from earlier is forgotten.
const allowed = userDataAllowed();
const user = toPerson(data.userData);
if (!allowed) call('identify', [null]);
else if (user) call('identify', [user]);

if (data.eventType === 'order') call('track', ['order', orderInput(allowed)]);
else call('track', ['page_view', pageViewInput()]);

// Injected once per page (the cache token); each tag's success waits for the script.
const scriptUrl = present(data.scriptUrl) ? makeString(data.scriptUrl) : DEFAULT_SCRIPT_URL;
injectScript(scriptUrl, data.gtmOnSuccess, data.gtmOnFailure, 'symbiosys');


___WEB_PERMISSIONS___

[
  {
    "instance": {
      "key": {
        "publicId": "inject_script",
        "versionId": "1"
      },
      "param": [
        {
          "key": "urls",
          "value": {
            "type": 2,
            "listItem": [
              {
                "type": 1,
                "string": "https://unpkg.com/@acme/symbiosys@*/dist/symbiosys.tag.js"
              },
              {
                "type": 1,
                "string": "https://cdn.jsdelivr.net/npm/@acme/symbiosys@*/dist/symbiosys.tag.js"
              }
            ]
          }
        }
      ]
    },
    "clientAnnotations": {
      "isEditedByUser": true
    },
    "isRequired": true
  },
  {
    "instance": {
      "key": {
        "publicId": "access_globals",
        "versionId": "1"
      },
      "param": [
        {
          "key": "keys",
          "value": {
            "type": 2,
            "listItem": [
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "Symbiosys"
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "Symbiosys.q"
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "Symbiosys.init"
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "Symbiosys.track"
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "Symbiosys.identify"
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "Symbiosys.setConsent"
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  }
                ]
              }
            ]
          }
        }
      ]
    },
    "clientAnnotations": {
      "isEditedByUser": true
    },
    "isRequired": true
  },
  {
    "instance": {
      "key": {
        "publicId": "read_data_layer",
        "versionId": "1"
      },
      "param": [
        {
          "key": "allowedKeys",
          "value": {
            "type": 1,
            "string": "specific"
          }
        },
        {
          "key": "keyPatterns",
          "value": {
            "type": 2,
            "listItem": [
              {
                "type": 1,
                "string": "ecommerce"
              }
            ]
          }
        }
      ]
    },
    "clientAnnotations": {
      "isEditedByUser": true
    },
    "isRequired": true
  },
  {
    "instance": {
      "key": {
        "publicId": "access_consent",
        "versionId": "1"
      },
      "param": [
        {
          "key": "consentTypes",
          "value": {
            "type": 2,
            "listItem": [
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "consentType"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "ad_storage"
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "consentType"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "ad_user_data"
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              }
            ]
          }
        }
      ]
    },
    "clientAnnotations": {
      "isEditedByUser": true
    },
    "isRequired": true
  }
]


___TESTS___

scenarios:
- name: a page view queues init and track on the stub and injects the script once
  code: |-
    runCode(mockData);
    assertThat(queued).isEqualTo([
      ['init', [{ apiKey: 'pk_test', consent: 'granted' }], NOW],
      ['track', ['page_view', { product_id: '170830', brand: 'nike' }], NOW]
    ]);
    assertApi('setInWindow').wasCalledWith('Symbiosys', {}, false);
    // The version this template was built for (scripts/build-gtm.mjs writes it).
    assertThat(injected.length).isEqualTo(1);
    assertThat(injected[0].indexOf('https://unpkg.com/@acme/symbiosys@')).isEqualTo(0);
    assertThat(injected[0]).contains('/dist/symbiosys.tag.js');
    assertApi('gtmOnSuccess').wasCalled();
    runCode({ apiKey: 'pk_test', eventType: 'page_view', productId: '238443' });
    assertThat(queued.length).isEqualTo(3);
    assertThat(queued[2]).isEqualTo(['track', ['page_view', { product_id: '238443' }], NOW]);
- name: region, environment, endpoint and the script URL are passed on
  code: |-
    runCode({ apiKey: 'pk_test', region: 'eu', environment: 'development', endpoint: 'https://t.shop.example', scriptUrl: 'https://cdn.jsdelivr.net/npm/@acme/symbiosys@0.1.0/dist/symbiosys.tag.js' });
    assertThat(queued[0][1][0]).isEqualTo({ apiKey: 'pk_test', consent: 'granted', environment: 'development', region: 'eu', endpoint: 'https://t.shop.example' });
    assertThat(injected).isEqualTo(['https://cdn.jsdelivr.net/npm/@acme/symbiosys@0.1.0/dist/symbiosys.tag.js']);
- name: an order defaults to the data layer's GA4 ecommerce, with the customer in Google's shape
  code: |-
    dataLayer.ecommerce = { transaction_id: 'T-1', items: [{ item_id: 'SKU-1', item_brand: 'nike', price: 8, discount: 2, quantity: 2 }] };
    runCode({ apiKey: 'pk_test', eventType: 'order', customerData: { email: 'jane@example.com', phone_number: '+16505551212', address: { first_name: 'Jane', country: 'US' } } });
    assertThat(queued[1]).isEqualTo(['track', ['order', {
      order_id: 'T-1',
      items: [{ product_id: 'SKU-1', brand: 'nike', quantity: 2, regular_unit_price: 10, discount_unit_price: 8 }],
      customer: { email: 'jane@example.com', phone: '+16505551212', first_name: 'Jane', country: 'US' }
    }], NOW]);
- name: given order fields win over the data layer; a person in the SDK's shape is kept as it is
  code: |-
    dataLayer.ecommerce = { transaction_id: 'T-1', items: [] };
    runCode({ apiKey: 'pk_test', eventType: 'order', orderId: 42, items: [{ product_id: 'P', quantity: 1 }], userData: { email: 'a@b.co', crm_id: 'u-1' } });
    assertThat(queued[1]).isEqualTo(['identify', [{ email: 'a@b.co', crm_id: 'u-1' }], NOW]);
    assertThat(queued[2]).isEqualTo(['track', ['order', { order_id: '42', items: [{ product_id: 'P', quantity: 1 }] }], NOW]);
- name: with ad_user_data denied no person goes, and the kept profile is forgotten
  code: |-
    granted.ad_user_data = false;
    dataLayer.ecommerce = { transaction_id: 'T-1', items: [] };
    runCode({ apiKey: 'pk_test', eventType: 'order', customerData: { email: 'jane@example.com' }, userData: { email: 'jane@example.com' } });
    assertThat(queued[1]).isEqualTo(['identify', [null], NOW]);
    assertThat(queued[2]).isEqualTo(['track', ['order', { order_id: 'T-1', items: [] }], NOW]);
- name: ad_storage denied at load is pending; updates follow
  code: |-
    granted.ad_storage = false;
    runCode(mockData);
    assertThat(queued[0][1][0].consent).isEqualTo('pending');
    listeners.ad_storage('ad_storage', true);
    assertThat(queued[2]).isEqualTo(['setConsent', ['granted'], NOW]);
    listeners.ad_storage('ad_storage', false);
    assertThat(queued[3]).isEqualTo(['setConsent', ['denied'], NOW]);
    listeners.ad_user_data('ad_user_data', false);
    assertThat(queued[4]).isEqualTo(['identify', [null], NOW]);
- name: once the script has replaced the stub, calls go to it directly
  code: |-
    const calls = [];
    windowValues = { Symbiosys: {}, 'Symbiosys.init': noop, 'Symbiosys.track': noop, 'Symbiosys.identify': noop };
    mock('callInWindow', (name, first, second) => calls.push([name, first, second]));
    runCode(mockData);
    assertThat(queued).isEqualTo([]);
    assertThat(calls[1]).isEqualTo(['Symbiosys.track', 'page_view', { product_id: '170830', brand: 'nike' }]);
- name: a script that fails to load fails the tag
  code: |-
    mock('injectScript', (url, onSuccess, onFailure) => onFailure());
    runCode(mockData);
    assertApi('gtmOnFailure').wasCalled();
    assertApi('gtmOnSuccess').wasNotCalled();
setup: |-
  const NOW = 1729696661986;
  const mockData = { apiKey: 'pk_test', eventType: 'page_view', productId: '170830', brand: 'nike' };
  const noop = () => undefined;
  const queued = [];
  const injected = [];
  const granted = {};
  const listeners = {};
  const dataLayer = {};
  let windowValues = {};
  mock('createQueue', (name) => (entry) => queued.push(entry));
  mock('copyFromWindow', (key) => windowValues[key]);
  mock('setInWindow', (key, value) => {
    windowValues[key] = value;
    return true;
  });
  mock('isConsentGranted', (type) => granted[type] !== false);
  mock('addConsentListener', (type, listener) => {
    listeners[type] = listener;
  });
  mock('copyFromDataLayer', (key) => dataLayer[key]);
  mock('getTimestampMillis', () => NOW);
  mock('injectScript', (url, onSuccess) => {
    injected.push(url);
    onSuccess();
  });


___NOTES___

Source, tests and the offline runner: https://github.com/acme/symbiosys (gtm/web, test/gtm).
