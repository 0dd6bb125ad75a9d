/**
 * What Logto's admin console does with a connector's form items, ported line for line from
 * logto-io/logto 1fbc554 so tests can check what an admin sees and what Test and Save send:
 *
 * - packages/console/src/utils/connector-form.ts: `initFormData` (the form's values: a stored
 *   config's own values, never an item's defaultValue; defaultValues only for a new connector),
 *   `parseFormConfig` (form values → config, for Test and Save).
 * - packages/console/src/components/ConnectorForm/ConfigForm/ConfigFormFields/index.tsx:
 *   `showFormItems` (an item is shown while every showCondition holds, by `===`).
 * - packages/console/src/pages/ConnectorDetails/ConnectorContent/index.tsx: Save merges the
 *   stored config under the form's values and drops falsy values (`removeFalsyValues`); Test sends
 *   `parseFormConfig(watch(), formItems)`.
 *
 * @module
 */
import { type ConnectorConfigFormItem, ConnectorConfigFormItemType } from '@logto/connector-kit';

// @silverhand/essentials' `conditional`: the value when truthy, else undefined.
const conditional = <T>(value: T) => (value ? (value as Exclude<T, false | '' | 0 | null | undefined>) : undefined);

const safeParseJson = (text: string) => {
  try {
    return { success: true as const, data: JSON.parse(text) as unknown };
  } catch {
    return { success: false as const };
  }
};

/** The form's values: from the stored config when there is one, else the items' defaults. */
const initFormData = (formItems: ConnectorConfigFormItem[], config?: Record<string, unknown>) => {
  const data: Array<[string, unknown]> = formItems.map((item) => {
    const configValue =
      config?.[item.key] ??
      conditional(item.type === ConnectorConfigFormItemType.Json && {}) ??
      conditional(item.type === ConnectorConfigFormItemType.MultiSelect && []);
    const { defaultValue } = item;
    const value = config ? configValue : defaultValue;

    if (item.type === ConnectorConfigFormItemType.Json) {
      return [item.key, JSON.stringify(value, null, 2)];
    }

    return [item.key, value];
  });

  return Object.fromEntries(data) as Record<string, unknown>;
};

/** Whether the console shows `formItem` (leaving out its dev-feature flag, which ours never set). */
const showFormItem = (formItem: ConnectorConfigFormItem, values: Record<string, unknown>) => {
  if (!formItem.showConditions) {
    return true;
  }

  return formItem.showConditions.every(({ expectValue, targetKey }) => {
    const targetValue = values[targetKey];

    return targetValue === expectValue;
  });
};

/** The config the form's values make: what Test sends, and what Save stores over the stored config. */
const parseFormConfig = (config: Record<string, unknown>, formItems: ConnectorConfigFormItem[], skipFalsyValuesRemoval = false) =>
  Object.fromEntries(
    Object.entries(config)
      .map(([key, value]) => {
        if (!skipFalsyValuesRemoval && value === '') {
          return null;
        }

        const formItem = formItems.find((item) => item.key === key);

        if (!formItem) {
          return null;
        }

        if (formItem.type === ConnectorConfigFormItemType.Number) {
          return Number.isNaN(value) ? null : [key, Number(value)];
        }

        if (formItem.type === ConnectorConfigFormItemType.Json) {
          const result = safeParseJson(typeof value === 'string' ? value : '');

          return [key, result.success ? result.data : {}];
        }

        return [key, value];
      })
      .filter((item): item is [string, unknown] => Array.isArray(item))
  );

const removeFalsyValues = (object: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(object).filter(([, value]) => value));

/** The console's view of a connector: what is shown, and what Test and Save send. */
export function openInConsole(formItems: ConnectorConfigFormItem[], stored?: Record<string, unknown>) {
  const values = initFormData(formItems, stored);
  const shown = () => formItems.filter((item) => showFormItem(item, values));
  return {
    values,
    /** The shown items' keys, in the form's order. */
    shownKeys: () => shown().map(({ key }) => key),
    /** The keys the shown items mark required. */
    requiredKeys: () =>
      shown()
        .filter(({ required }) => required)
        .map(({ key }) => key),
    /** What the console's Test button passes as the config. */
    testConfig: () => JSON.parse(JSON.stringify(parseFormConfig(values, formItems))) as Record<string, unknown>,
    /** What Save stores (the JSON the API receives). */
    savedConfig: () =>
      JSON.parse(JSON.stringify(removeFalsyValues({ ...stored, ...parseFormConfig(values, formItems) }))) as Record<
        string,
        unknown
      >,
  };
}
