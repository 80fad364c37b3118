//! The tray icon: while an agent is logged in, closing the main window only
//! hides it here, so the session's task keeps the connection, the popup and
//! the notifications going. Its menu shows the window again, switches the
//! presence, or quits (which closes the socket first).

use banner_client::connection::agent_command;
use banner_proto::Presence;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager};

use crate::main_window;
use crate::state::Current;

/// What a menu item does, by its id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Bring the main window back.
    Show,
    /// Switch the agent's presence.
    Presence(Presence),
    /// Close the socket and end the app.
    Quit,
}

/// Menu ids and labels, in the menu's order within their groups.
const SHOW: &str = "show";
const QUIT: &str = "quit";
const PRESENCES: [(&str, &str, Presence); 3] = [
    (
        "presence-available",
        "Available to chat",
        Presence::Available,
    ),
    ("presence-away", "Away", Presence::Away),
    ("presence-offline", "Offline", Presence::Offline),
];

/// The action behind a menu id.
pub fn action(id: &str) -> Option<Action> {
    match id {
        SHOW => Some(Action::Show),
        QUIT => Some(Action::Quit),
        _ => PRESENCES
            .iter()
            .find(|(item, ..)| *item == id)
            .map(|(.., presence)| Action::Presence(*presence)),
    }
}

/// Whether closing the window `label` hides it to the tray instead: the main
/// window, while someone is logged in and the tray exists to bring it back.
pub fn hides_on_close(label: &str, logged_in: bool, tray: bool) -> bool {
    label == main_window::LABEL && logged_in && tray
}

/// Marks that the tray icon exists (state given to `manage()`).
#[derive(Debug)]
pub struct Installed;

/// Puts the icon and its menu in the tray.
pub fn install(app: &AppHandle) -> tauri::Result<()> {
    let show = MenuItem::with_id(app, SHOW, "Show Banner", true, None::<&str>)?;
    let presences = PRESENCES
        .iter()
        .map(|(id, label, _)| MenuItem::with_id(app, *id, *label, true, None::<&str>))
        .collect::<tauri::Result<Vec<_>>>()?;
    let presence_items: Vec<&dyn tauri::menu::IsMenuItem<tauri::Wry>> = presences
        .iter()
        .map(|item| item as &dyn tauri::menu::IsMenuItem<tauri::Wry>)
        .collect();
    let presence = Submenu::with_items(app, "Presence", true, &presence_items)?;
    let separator = PredefinedMenuItem::separator(app)?;
    let quit = MenuItem::with_id(app, QUIT, "Quit", true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&show, &presence, &separator, &quit])?;
    let mut tray = TrayIconBuilder::with_id("banner")
        .tooltip("Banner")
        .menu(&menu)
        .on_menu_event(|app, event| {
            if let Some(action) = action(event.id().as_ref()) {
                run(app, action);
            }
        });
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    app.manage(Installed);
    Ok(())
}

fn run(app: &AppHandle, action: Action) {
    match action {
        Action::Show => main_window::focus(app),
        Action::Presence(presence) => {
            let Ok(session) = app.state::<Current>().get() else {
                main_window::focus(app);
                return;
            };
            tauri::async_runtime::spawn(async move {
                let change = agent_command::set_presence(presence);
                if let Err(e) = session.send(change).await {
                    tracing::warn!("presence not changed from the tray: {e}");
                }
            });
        }
        Action::Quit => {
            if let Some(session) = app.state::<Current>().replace(None) {
                session.close();
            }
            app.exit(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_menu_id_has_its_action() {
        assert_eq!(action("show"), Some(Action::Show));
        assert_eq!(action("quit"), Some(Action::Quit));
        assert_eq!(
            action("presence-away"),
            Some(Action::Presence(Presence::Away))
        );
        assert_eq!(
            action("presence-available"),
            Some(Action::Presence(Presence::Available))
        );
        assert_eq!(action("nothing"), None);
    }

    #[test]
    fn only_the_main_window_of_a_logged_in_agent_hides_to_the_tray() {
        assert!(hides_on_close("main", true, true));
        assert!(!hides_on_close("main", false, true), "logged out: quit");
        assert!(!hides_on_close("main", true, false), "no tray: quit");
        assert!(!hides_on_close("popup", true, true));
    }
}
