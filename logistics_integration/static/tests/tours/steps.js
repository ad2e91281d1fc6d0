import { stepUtils } from "@web_tour/tour_utils";

/**
 * The steps that open a screen from the main menu, each menu named by its xmlid: the app
 * `appXmlid` from the home menu, the menu `menuXmlid` of the app's top bar and, when that menu
 * is a dropdown, its item `itemXmlid`.
 *
 * @param {string} appXmlid
 * @param {string} menuXmlid
 * @param {string} [itemXmlid]
 */
export function openMenuSteps(appXmlid, menuXmlid, itemXmlid) {
    const steps = [
        ...stepUtils.goToAppSteps(appXmlid, `Open the app ${appXmlid}`),
        {
            content: `Open the menu ${menuXmlid}`,
            trigger: `.o_menu_sections [data-menu-xmlid='${menuXmlid}']`,
            run: "click",
        },
    ];
    if (itemXmlid) {
        steps.push({
            content: `Open the menu item ${itemXmlid}`,
            trigger: `.o-dropdown-item[data-menu-xmlid='${itemXmlid}']`,
            run: "click",
        });
    }
    return steps;
}
