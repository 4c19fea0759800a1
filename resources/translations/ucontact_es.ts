<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>CheckList</name>
    <message>
        <location filename="../../app/gui/checklist.py" line="54"/>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <location filename="../../app/gui/checklist.py" line="54"/>
        <source>Check</source>
        <translation>Comprobación</translation>
    </message>
    <message>
        <location filename="../../app/gui/checklist.py" line="55"/>
        <source>Checks</source>
        <translation>Comprobaciones</translation>
    </message>
    <message>
        <location filename="../../app/gui/checklist.py" line="57"/>
        <source>The checks grouped by area; select one to see its details.</source>
        <translation>Las comprobaciones agrupadas por área; seleccione una para ver sus detalles.</translation>
    </message>
    <message>
        <location filename="../../app/gui/checklist.py" line="163"/>
        <source>Group %1: %2</source>
        <translation>Grupo %1: %2</translation>
    </message>
</context>
<context>
    <name>CheckTitle</name>
    <message>
        <location filename="../../app/gui/texts.py" line="20"/>
        <source>Name resolution</source>
        <translation>Resolución de nombres</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="21"/>
        <source>Web app over HTTPS (TCP 443)</source>
        <translation>Aplicación web por HTTPS (TCP 443)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="22"/>
        <source>SIP over secure WebSocket (TCP 8089)</source>
        <translation>SIP sobre WebSocket seguro (TCP 8089)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="23"/>
        <source>STUN over UDP (3478)</source>
        <translation>STUN por UDP (3478)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="24"/>
        <source>STUN over TCP (3478)</source>
        <translation>STUN por TCP (3478)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="25"/>
        <source>Browser media candidates (ICE)</source>
        <translation>Candidatos de medios del navegador (ICE)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="26"/>
        <source>TLS certificate of the web app (443)</source>
        <translation>Certificado TLS de la aplicación web (443)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="27"/>
        <source>TLS certificate of SIP signalling (8089)</source>
        <translation>Certificado TLS de la señalización SIP (8089)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="28"/>
        <source>Certificate authority download (GeoTrust)</source>
        <translation>Descarga de la autoridad de certificación (GeoTrust)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="29"/>
        <source>Chrome certificate updates (redirector.gvt1.com)</source>
        <translation>Actualizaciones de certificados de Chrome (redirector.gvt1.com)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="30"/>
        <source>Licence server</source>
        <translation>Servidor de licencias</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="31"/>
        <source>Monitoring service</source>
        <translation>Servicio de monitoreo</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="32"/>
        <source>Updates from GitHub</source>
        <translation>Actualizaciones desde GitHub</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="33"/>
        <source>Addresses used by Chrome</source>
        <translation>Direcciones que usa Chrome</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="34"/>
        <source>Voice media ports (UDP 10000-20000)</source>
        <translation>Puertos de audio de voz (UDP 10000-20000)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="35"/>
        <source>UDP 8089</source>
        <translation>UDP 8089</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="36"/>
        <source>UDP 443 (QUIC)</source>
        <translation>UDP 443 (QUIC)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="37"/>
        <source>NAT behaviour (RFC 5780)</source>
        <translation>Comportamiento del NAT (RFC 5780)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="38"/>
        <source>Call quality (G.711 stream)</source>
        <translation>Calidad de llamada (flujo G.711)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="39"/>
        <source>Voice packets not blocked (IPS)</source>
        <translation>Paquetes de voz no bloqueados (IPS)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="40"/>
        <source>No SIP ALG on the path</source>
        <translation>Sin SIP ALG en la ruta</translation>
    </message>
</context>
<context>
    <name>DetailsPane</name>
    <message>
        <location filename="../../app/gui/details.py" line="111"/>
        <source>&lt;b&gt;What was found&lt;/b&gt;</source>
        <translation>&lt;b&gt;Qué se encontró&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../app/gui/details.py" line="112"/>
        <source>&lt;b&gt;How to fix it&lt;/b&gt;</source>
        <translation>&lt;b&gt;Cómo solucionarlo&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../app/gui/details.py" line="113"/>
        <source>&lt;b&gt;Measured values&lt;/b&gt;</source>
        <translation>&lt;b&gt;Valores medidos&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../app/gui/details.py" line="114"/>
        <source>Cop&amp;y fix for the network administrator</source>
        <translation>Cop&amp;iar la solución para el administrador de red</translation>
    </message>
    <message>
        <location filename="../../app/gui/details.py" line="115"/>
        <source>Copy fix</source>
        <translation>Copiar solución</translation>
    </message>
    <message>
        <location filename="../../app/gui/details.py" line="117"/>
        <source>Copies the fix to the clipboard for the network administrator.</source>
        <translation>Copia la solución al portapapeles para el administrador de red.</translation>
    </message>
    <message>
        <location filename="../../app/gui/details.py" line="119"/>
        <source>Selected check</source>
        <translation>Comprobación seleccionada</translation>
    </message>
    <message>
        <location filename="../../app/gui/details.py" line="120"/>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <location filename="../../app/gui/details.py" line="121"/>
        <source>Requirement</source>
        <translation>Requisito</translation>
    </message>
    <message>
        <location filename="../../app/gui/details.py" line="122"/>
        <source>What was found</source>
        <translation>Qué se encontró</translation>
    </message>
    <message>
        <location filename="../../app/gui/details.py" line="123"/>
        <source>How to fix it</source>
        <translation>Cómo solucionarlo</translation>
    </message>
    <message>
        <location filename="../../app/gui/details.py" line="124"/>
        <source>Measured values</source>
        <translation>Valores medidos</translation>
    </message>
    <message>
        <location filename="../../app/gui/details.py" line="147"/>
        <source>Select a check to see its details.</source>
        <translation>Seleccione una comprobación para ver sus detalles.</translation>
    </message>
    <message>
        <location filename="../../app/gui/details.py" line="168"/>
        <source>Requirement: %1</source>
        <translation>Requisito: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/details.py" line="177"/>
        <source>This check has not finished yet.</source>
        <translation>Esta comprobación todavía no terminó.</translation>
    </message>
    <message>
        <location filename="../../app/gui/details.py" line="197"/>
        <source>Part of this text has no translation yet and is shown in English.</source>
        <translation>Parte de este texto todavía no tiene traducción y se muestra en inglés.</translation>
    </message>
</context>
<context>
    <name>Group</name>
    <message>
        <location filename="../../app/gui/texts.py" line="44"/>
        <source>Signalling</source>
        <translation>Señalización</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="45"/>
        <source>Media (audio)</source>
        <translation>Medios (audio)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="46"/>
        <source>Security</source>
        <translation>Seguridad</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="47"/>
        <source>Services</source>
        <translation>Servicios</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="48"/>
        <source>This computer</source>
        <translation>Este equipo</translation>
    </message>
</context>
<context>
    <name>Light</name>
    <message>
        <location filename="../../app/gui/lights.py" line="63"/>
        <source>Passed</source>
        <translation>Correcto</translation>
    </message>
    <message>
        <location filename="../../app/gui/lights.py" line="64"/>
        <source>Warning</source>
        <translation>Advertencia</translation>
    </message>
    <message>
        <location filename="../../app/gui/lights.py" line="65"/>
        <source>Failed</source>
        <translation>Falló</translation>
    </message>
    <message>
        <location filename="../../app/gui/lights.py" line="66"/>
        <source>Not verified</source>
        <translation>Sin verificar</translation>
    </message>
    <message>
        <location filename="../../app/gui/lights.py" line="67"/>
        <source>Waiting</source>
        <translation>En espera</translation>
    </message>
    <message>
        <location filename="../../app/gui/lights.py" line="68"/>
        <source>Checking</source>
        <translation>Comprobando</translation>
    </message>
    <message>
        <location filename="../../app/gui/lights.py" line="69"/>
        <source>Not run</source>
        <translation>No ejecutada</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/gui/window.py" line="287"/>
        <source>Fix copied.</source>
        <translation>Solución copiada.</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="306"/>
        <source>uContact Network Check</source>
        <translation>Verificación de red de uContact</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="307"/>
        <source>uContact &amp;instance:</source>
        <translation>&amp;Instancia de uContact:</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="309"/>
        <source>Your instance name, or paste your uContact address</source>
        <translation>El nombre de su instancia, o pegue su dirección de uContact</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="311"/>
        <source>uContact instance</source>
        <translation>Instancia de uContact</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="314"/>
        <source>The first part of your uContact address, such as acme for acme.ucontactcloud.com. A pasted address works too.</source>
        <translation>La primera parte de su dirección de uContact, como acme para acme.ucontactcloud.com. También puede pegar la dirección.</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="318"/>
        <source>&amp;Run checks</source>
        <translation>&amp;Ejecutar comprobaciones</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="319"/>
        <location filename="../../app/gui/window.py" line="347"/>
        <source>Run checks</source>
        <translation>Ejecutar comprobaciones</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="320"/>
        <source>Run all checks (F5)</source>
        <translation>Ejecutar todas las comprobaciones (F5)</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="321"/>
        <source>&amp;Cancel</source>
        <translation>&amp;Cancelar</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="322"/>
        <source>Cancel the run</source>
        <translation>Cancelar la ejecución</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="323"/>
        <source>Progress</source>
        <translation>Progreso</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="324"/>
        <source>Step in progress</source>
        <translation>Paso en curso</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="325"/>
        <source>Elapsed time</source>
        <translation>Tiempo transcurrido</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="326"/>
        <source>Verdict</source>
        <translation>Veredicto</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="327"/>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="328"/>
        <source>E&amp;xport report…</source>
        <translation>E&amp;xportar informe…</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="329"/>
        <location filename="../../app/gui/window.py" line="670"/>
        <source>Export report</source>
        <translation>Exportar informe</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="330"/>
        <source>Save the report as PDF, HTML or JSON</source>
        <translation>Guardar el informe como PDF, HTML o JSON</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="331"/>
        <source>Copy &amp;summary</source>
        <translation>Copiar &amp;resumen</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="332"/>
        <source>Copy summary</source>
        <translation>Copiar resumen</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="334"/>
        <source>Copy the verdict and every result to the clipboard</source>
        <translation>Copiar el veredicto y cada resultado al portapapeles</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="336"/>
        <location filename="../../app/gui/window.py" line="344"/>
        <source>Open &amp;last report</source>
        <translation>Abrir el últi&amp;mo informe</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="337"/>
        <source>Open last report</source>
        <translation>Abrir el último informe</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="338"/>
        <location filename="../../app/gui/window.py" line="345"/>
        <source>Open lo&amp;g folder</source>
        <translation>Abrir la carpeta de re&amp;gistros</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="339"/>
        <source>Open log folder</source>
        <translation>Abrir la carpeta de registros</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="341"/>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="342"/>
        <source>&amp;Export report…</source>
        <translation>&amp;Exportar informe…</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="343"/>
        <source>Use a requirements &amp;profile…</source>
        <translation>Usar un &amp;perfil de requisitos…</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="346"/>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="348"/>
        <source>&amp;Language</source>
        <translation>&amp;Idioma</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="349"/>
        <source>&amp;System language</source>
        <translation>Idioma del &amp;sistema</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="352"/>
        <source>&amp;Help</source>
        <translation>Ay&amp;uda</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="353"/>
        <source>&amp;About uContact Network Check</source>
        <translation>&amp;Acerca de Verificación de red de uContact</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="363"/>
        <source>%v of %m checks</source>
        <translation>%v de %m comprobaciones</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="370"/>
        <source>Requirements profile: %1</source>
        <translation>Perfil de requisitos: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="377"/>
        <source>Checking your network…</source>
        <translation>Comprobando su red…</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="379"/>
        <source>Cancelled: no verdict. Run the checks again.</source>
        <translation>Cancelado: sin veredicto. Ejecute las comprobaciones de nuevo.</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="381"/>
        <source>The checks could not run.</source>
        <translation>No se pudieron ejecutar las comprobaciones.</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="383"/>
        <source>Enter your uContact instance and press Run checks.</source>
        <translation>Escriba su instancia de uContact y pulse Ejecutar comprobaciones.</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="388"/>
        <source>Ready for calls</source>
        <translation>Listo para llamadas</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="390"/>
        <source>Ready, with warnings</source>
        <translation>Listo, con advertencias</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/gui/window.py" line="392"/>
        <source>Not ready: %n problem(s)</source>
        <translation>
            <numerusform>No está listo: %n problema</numerusform>
            <numerusform>No está listo: %n problemas</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="415"/>
        <source>%1</source>
        <translation>%1</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="417"/>
        <source>The run stopped because of an internal error (%1). The log file has the details.</source>
        <translation>La ejecución se detuvo por un error interno (%1). El archivo de registro tiene los detalles.</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="421"/>
        <source>The report was not exported: %1 The results are still on screen.</source>
        <translation>El informe no se exportó: %1 Los resultados siguen en pantalla.</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="423"/>
        <source>There is no report yet: run the checks first.</source>
        <translation>Todavía no hay informe: ejecute primero las comprobaciones.</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="424"/>
        <source>Could not open %1: no program is set to open it.</source>
        <translation>No se pudo abrir %1: no hay ningún programa configurado para abrirlo.</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="425"/>
        <source>The last report was not kept: %1</source>
        <translation>No se guardó el último informe: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="444"/>
        <source>Cancelling…</source>
        <translation>Cancelando…</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="447"/>
        <source>Checking: %1</source>
        <translation>Comprobando: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="449"/>
        <source>Starting…</source>
        <translation>Iniciando…</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="451"/>
        <source>Finished</source>
        <translation>Terminado</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="463"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="664"/>
        <source>PDF document (*.pdf)</source>
        <translation>Documento PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="665"/>
        <source>Web page (*.html)</source>
        <translation>Página web (*.html)</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="666"/>
        <source>JSON data (*.json)</source>
        <translation>Datos JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="698"/>
        <source>Report saved to %1</source>
        <translation>Informe guardado en %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="707"/>
        <location filename="../../app/gui/window.py" line="762"/>
        <source>uContact Network Check %1</source>
        <translation>Verificación de red de uContact %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="708"/>
        <source>Instance: %1</source>
        <translation>Instancia: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="709"/>
        <source>Started: %1</source>
        <translation>Inicio: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="720"/>
        <source>Fix: %1</source>
        <translation>Solución: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="727"/>
        <source>Summary copied.</source>
        <translation>Resumen copiado.</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="749"/>
        <source>Use a requirements profile</source>
        <translation>Usar un perfil de requisitos</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="751"/>
        <source>Requirements profile (*.toml)</source>
        <translation>Perfil de requisitos (*.toml)</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="760"/>
        <source>About uContact Network Check</source>
        <translation>Acerca de Verificación de red de uContact</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="765"/>
        <source>Checks whether this computer&apos;s network is ready for uContact calls and writes a report for the helpdesk.

Log folder: %1</source>
        <translation>Comprueba si la red de este equipo está lista para las llamadas de uContact y escribe un informe para la mesa de ayuda.

Carpeta de registros: %1</translation>
    </message>
</context>
<context>
    <name>Result</name>
    <message>
        <location filename="../../app/gui/texts.py" line="55"/>
        <source>Every uContact host resolves through this computer&apos;s DNS server</source>
        <translation>Cada host de uContact se resuelve con el servidor DNS de este equipo</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="58"/>
        <source>TCP 443 to {host} answers HTTPS</source>
        <translation>TCP 443 hacia {host} responde por HTTPS</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="59"/>
        <source>TCP 8089 to {host} carries SIP over WebSocket</source>
        <translation>TCP 8089 hacia {host} transporta SIP sobre WebSocket</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="60"/>
        <source>{transport} {port} to {host} answers STUN binding requests</source>
        <translation>{transport} {port} hacia {host} responde a las solicitudes de enlace STUN</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="63"/>
        <source>ICE gathering finds a server-reflexive candidate through {host}</source>
        <translation>La recolección ICE encuentra un candidato reflexivo del servidor a través de {host}</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="66"/>
        <source>TLS 1.2 or newer, a 128-bit cipher and a certificate Chrome trusts on {address}</source>
        <translation>TLS 1.2 o posterior, un cifrado de 128 bits y un certificado en el que Chrome confía en {address}</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="70"/>
        <source>Browsers can download the {issuer} certificate to complete uContact&apos;s chain</source>
        <translation>Los navegadores pueden descargar el certificado {issuer} para completar la cadena de uContact</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="74"/>
        <source>Chrome reaches {host} for its component and CRLSet updates</source>
        <translation>Chrome llega a {host} para sus actualizaciones de componentes y de CRLSet</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="77"/>
        <source>The uContact licence server answers over HTTPS</source>
        <translation>El servidor de licencias de uContact responde por HTTPS</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="78"/>
        <source>{host} answers over HTTPS</source>
        <translation>{host} responde por HTTPS</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="79"/>
        <source>{first}, {second} and {third} answer over HTTPS</source>
        <translation>{first}, {second} y {third} responden por HTTPS</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="80"/>
        <source>TCP 443 to {first} and {second}, and STUN on UDP {port} to {stun}</source>
        <translation>TCP 443 hacia {first} y {second}, y STUN por UDP {port} hacia {stun}</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="83"/>
        <source>UDP {ports} to {host} carries RTP</source>
        <translation>UDP {ports} hacia {host} transporta RTP</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="84"/>
        <source>UDP {port} to {host} is open</source>
        <translation>UDP {port} hacia {host} está abierto</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="85"/>
        <source>The NAT keeps one public mapping per local port (not symmetric)</source>
        <translation>El NAT mantiene una asignación pública por puerto local (no simétrico)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="88"/>
        <source>Round-trip time, jitter, loss and MOS of a G.711-shaped stream meet the thresholds</source>
        <translation>El tiempo de ida y vuelta, el jitter, la pérdida y el MOS de un flujo con forma de G.711 cumplen los umbrales</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="93"/>
        <source>An IPS or firewall neither cuts nor drops voice (RTP) packets that random packets of the same size get through</source>
        <translation>Un IPS o firewall no corta ni descarta los paquetes de voz (RTP) mientras deja pasar paquetes aleatorios del mismo tamaño</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="98"/>
        <source>No router or firewall between this network and the responder rewrites SIP on UDP or TCP {port}</source>
        <translation>Ningún router ni firewall entre esta red y el respondedor reescribe SIP en UDP o TCP {port}</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="104"/>
        <source>The check did not finish within its {timeout} s timeout, so it could not be verified.</source>
        <translation>La comprobación no terminó dentro de su plazo de {timeout} s, así que no se pudo verificar.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="109"/>
        <source>Run the check again; if it repeats, send this report to the helpdesk.</source>
        <translation>Ejecute la comprobación de nuevo; si se repite, envíe este informe a la mesa de ayuda.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="113"/>
        <source>Hosts involved: {hosts}.</source>
        <translation>Hosts involucrados: {hosts}.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="114"/>
        <source>The check stopped with an internal error ({error}), so it could not be verified.</source>
        <translation>La comprobación se detuvo por un error interno ({error}), así que no se pudo verificar.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="119"/>
        <source>Send this report and the log file to the helpdesk.</source>
        <translation>Envíe este informe y el archivo de registro a la mesa de ayuda.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="120"/>
        <source>The run reached its {deadline} s deadline before this check finished.</source>
        <translation>La ejecución alcanzó su límite de {deadline} s antes de que terminara esta comprobación.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="124"/>
        <source>Run the checks again.</source>
        <translation>Ejecute las comprobaciones de nuevo.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="126"/>
        <source>The run was cancelled before this check finished.</source>
        <translation>La ejecución se canceló antes de que terminara esta comprobación.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="128"/>
        <source>No host names to resolve.</source>
        <translation>No hay nombres de host que resolver.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="129"/>
        <source>All {count} hosts resolved (slowest {ms} ms).</source>
        <translation>Hosts resueltos: {count} (el más lento, {ms} ms).</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="130"/>
        <source>{failed} of {count} hosts did not resolve: {reason_list}.</source>
        <translation>{failed} de {count} hosts no se resolvieron: {reason_list}.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="133"/>
        <source>{host}: the DNS server says the name does not exist (NXDOMAIN)</source>
        <translation>{host}: el servidor DNS indica que el nombre no existe (NXDOMAIN)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="137"/>
        <source>{host}: the name exists but has no IPv4 or IPv6 address</source>
        <translation>{host}: el nombre existe pero no tiene dirección IPv4 ni IPv6</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="140"/>
        <source>{host}: no DNS server answered in time</source>
        <translation>{host}: ningún servidor DNS respondió a tiempo</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="141"/>
        <source>{host}: the DNS server failed to answer (SERVFAIL)</source>
        <translation>{host}: el servidor DNS no pudo responder (SERVFAIL)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="142"/>
        <source>{host}: the DNS server refused the query (REFUSED)</source>
        <translation>{host}: el servidor DNS rechazó la consulta (REFUSED)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="143"/>
        <source>{host}: no DNS server is configured on this computer</source>
        <translation>{host}: no hay ningún servidor DNS configurado en este equipo</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="144"/>
        <source>{host}: the name is not a valid host name</source>
        <translation>{host}: el nombre no es un nombre de host válido</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="146"/>
        <source>{url} (HTTP {status}, {ms} ms) answered.</source>
        <translation>{url} (HTTP {status}, {ms} ms) respondió.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="147"/>
        <source>All {count} URLs answered: {answers}.</source>
        <translation>Respondieron todas las URL ({count}): {answers}.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="148"/>
        <source>{failed} of {count} URLs failed.</source>
        <translation>Fallaron {failed} de {count} URL.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="149"/>
        <source>STUN over {protocol} to {target} returned the mapped address {mapped} in {ms} ms.</source>
        <translation>STUN por {protocol} hacia {target} devolvió la dirección asignada {mapped} en {ms} ms.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="154"/>
        <source>{url} answered the SIP OPTIONS with &quot;{status}&quot; in {ms} ms.</source>
        <translation>{url} respondió al OPTIONS de SIP con &quot;{status}&quot; en {ms} ms.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="157"/>
        <source>All {count} Chrome addresses answered: {answers}.</source>
        <translation>Respondieron todas las direcciones de Chrome ({count}): {answers}.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="160"/>
        <source>This computer&apos;s DNS server did not answer for {host}: allow DNS (UDP and TCP port 53) from this computer to its DNS server, and check that the server runs.</source>
        <translation>El servidor DNS de este equipo no respondió para {host}: permita el DNS (puerto UDP y TCP 53) desde este equipo hacia su servidor DNS y compruebe que el servidor funciona.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="166"/>
        <source>No DNS server is configured on this computer, so {host} cannot resolve: set one in the network settings or through DHCP (UDP/TCP port 53).</source>
        <translation>No hay ningún servidor DNS configurado en este equipo, así que {host} no se puede resolver: configure uno en los ajustes de red o mediante DHCP (puerto UDP/TCP 53).</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="171"/>
        <source>The DNS server failed to resolve {host} (SERVFAIL): check its forwarding and any DNS filter (UDP/TCP port 53).</source>
        <translation>El servidor DNS no pudo resolver {host} (SERVFAIL): revise su reenvío y cualquier filtro DNS (puerto UDP/TCP 53).</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="176"/>
        <source>The DNS server refused to resolve {host} (REFUSED): allow this computer to query it, or check the DNS filter (UDP/TCP port 53).</source>
        <translation>El servidor DNS se negó a resolver {host} (REFUSED): permita que este equipo le haga consultas o revise el filtro DNS (puerto UDP/TCP 53).</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="181"/>
        <source>This computer&apos;s DNS servers are {servers}.</source>
        <translation>Los servidores DNS de este equipo son {servers}.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="182"/>
        <source>This check then needs outbound {protocol} port {port} to {host} ({purpose}).</source>
        <translation>Después, esta comprobación necesita el tráfico saliente {protocol} al puerto {port} hacia {host} ({purpose}).</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="186"/>
        <source>This check then needs outbound {protocol} port {port} to {host}.</source>
        <translation>Después, esta comprobación necesita el tráfico saliente {protocol} al puerto {port} hacia {host}.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="189"/>
        <source>Make {host} resolve on this computer&apos;s DNS server (UDP/TCP port 53): check the DNS server or filter, or ask the uContact administrator for the right instance name.</source>
        <translation>Haga que {host} se resuelva en el servidor DNS de este equipo (puerto UDP/TCP 53): revise el servidor DNS o el filtro, o pida al administrador de uContact el nombre de instancia correcto.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="195"/>
        <source>Allow outbound {protocol} port {port} from this network to {host} ({purpose}) on the firewall, proxy or security software.</source>
        <translation>Permita el tráfico saliente {protocol} al puerto {port} desde esta red hacia {host} ({purpose}) en el firewall, el proxy o el software de seguridad.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="200"/>
        <source>Allow outbound {protocol} port {port} from this network to {host} on the firewall, proxy or security software.</source>
        <translation>Permita el tráfico saliente {protocol} al puerto {port} desde esta red hacia {host} en el firewall, el proxy o el software de seguridad.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="206"/>
        <source>The instance name is empty: enter the first part of your uContact address, such as {example} for {example_host}.</source>
        <translation>El nombre de instancia está vacío: escriba la primera parte de su dirección de uContact, como {example} para {example_host}.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="211"/>
        <source>{value} is not a valid instance name: use letters, digits and hyphens only, such as {example} for {example_host}.</source>
        <translation>{value} no es un nombre de instancia válido: use solo letras, dígitos y guiones, como {example} para {example_host}.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="216"/>
        <source>{value} is not a uContact address: it should start with https:// or be a name such as {example} for {example_host}.</source>
        <translation>{value} no es una dirección de uContact: debe empezar por https:// o ser un nombre como {example} para {example_host}.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="221"/>
        <source>The instance name is too long ({length} characters): a name has at most {maximum}, such as {example} for {example_host}.</source>
        <translation>El nombre de instancia es demasiado largo ({length} caracteres): un nombre tiene como máximo {maximum}, como {example} para {example_host}.</translation>
    </message>
</context>
</TS>
