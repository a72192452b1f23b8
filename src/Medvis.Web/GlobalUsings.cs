// The code-behind files of the components use the same namespaces as _Imports.razor.
global using Medvis.Core.Data;
global using Medvis.Core.Storage;
global using Medvis.Core.Runs;
global using Medvis.Core.Training;
global using Medvis.Web.Datasets;
global using Medvis.Web.Extensions;
global using Medvis.Web.Results;
global using ClassPalette = Medvis.Core.Maps.ClassPalette;
global using Medvis.Web.Training;
global using Medvis.Web.Auth;
