"""Pages of the main window, in navigation order, as "module:Class" (imported when the window is
built). Each area adds its own line; a page class subclasses `desktop_app.ui.pages.base.Page`
and is constructed as `PageClass(session: UiSession)`.
"""

PAGES: list[str] = [
    "desktop_app.ui.pages.dashboard_page:DashboardPage",
    "desktop_app.ui.pages.parts_page:PartsPage",
    "desktop_app.ui.pages.gauges_page:GaugesPage",
    "desktop_app.ui.pages.certification_page:CertificationPage",
    "desktop_app.ui.pages.roadmap_page:RoadmapPage",
    "desktop_app.ui.pages.sync_page:SyncPage",
    "desktop_app.ui.pages.conflicts_page:ConflictsPage",
    "desktop_app.ui.pages.people_page:PeoplePage",
]
