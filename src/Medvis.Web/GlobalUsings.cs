// The code-behind files of the components use the same namespaces as _Imports.razor.
global using Medvis.Core.Data;
global using Medvis.Core.Storage;
global using Medvis.Core.Training;
global using Medvis.Web.Services;
